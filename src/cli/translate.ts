// `vmscope translate <image.json>`: run a machine image's accesses, print one JSON result.
import { runImage } from '../core/image/run';
import { MAX_IMAGE_BYTES, parseMachineImage } from '../scenarios/image/parse';
import { readCapped } from './readCapped';

export function translateCommand(args: string[], out: (s: string) => void): number {
  if (args.length !== 1 || (args[0] as string).startsWith('--')) {
    process.stderr.write(
      'vmscope translate: give exactly one machine-image file (usage: vmscope translate <image.json>)\n',
    );
    return 2;
  }
  const read = readCapped(args[0] as string, MAX_IMAGE_BYTES);
  if (!read.ok) {
    process.stderr.write(`vmscope translate: ${read.error}\n`);
    return 1;
  }
  const parsed = parseMachineImage(read.text);
  if (!parsed.ok) {
    process.stderr.write(`vmscope translate: ${parsed.error}\n`);
    return 1;
  }
  const { image, frames, frameKeys } = parsed.value;
  const run = runImage(image, frames, frameKeys);
  out(JSON.stringify({ results: run.results, frames_after: run.framesAfter }));
  return 0;
}
