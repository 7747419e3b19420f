// Runs a machine image of any architecture and collects the frames it named, after the accesses.
import { type Arm64Image, runArm64Image } from './arm64';
import { type Riscv64Image, runRiscv64Image } from './riscv64';
import { frameToHex, type ImageFrames, type ImageRun } from './types';
import { runX86Image, type X86Image } from './x86_64';

export type AnyImage = X86Image | Riscv64Image | Arm64Image;

export function runImage(image: AnyImage, frames: ImageFrames, frameKeys: Map<string, number>): ImageRun {
  let results: ImageRun['results'];
  switch (image.arch) {
    case 'x86_64':
      results = runX86Image(image, frames);
      break;
    case 'riscv64':
      results = runRiscv64Image(image, frames);
      break;
    case 'arm64':
      results = runArm64Image(image, frames);
      break;
  }
  const framesAfter: Record<string, string> = {};
  const zero = new Uint32Array(1024);
  for (const [key, pfn] of frameKeys) framesAfter[key] = frameToHex(frames.get(pfn) ?? zero);
  return { results, framesAfter };
}
