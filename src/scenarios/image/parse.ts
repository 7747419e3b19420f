// Untrusted machine-image JSON in, a validated image and its frames out, or one readable line
// saying which field is wrong. Never throws; the caller keeps whatever it had before.
import type { ImageFrames } from '../../core/image/types';
import { hexToFrame } from '../../core/image/types';
import { oaBits } from '../../core/arch/arm64/desc';
import type { AnyImage } from '../../core/image/run';
import { arm64ImageSchema } from './arm64';
import { formatIssue, MAX_IMAGE_FRAMES } from './common';
import { riscv64ImageSchema } from './riscv64';
import { toX86Image, x86ImageSchema } from './x86_64';

/** 4096 frames of 8192 hex digits each, plus the accesses and some slack. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

export type MachineImage = AnyImage;

export interface ParsedImage {
  image: MachineImage;
  frames: ImageFrames;
  /** The frame keys as the input spelled them, in input order: frames_after uses the same keys. */
  frameKeys: Map<string, number>;
}

export type ImageParse = { ok: true; value: ParsedImage } | { ok: false; error: string };

export function parseMachineImage(text: string): ImageParse {
  if (text.length > MAX_IMAGE_BYTES) {
    return { ok: false, error: `image is ${text.length} bytes; the limit is ${MAX_IMAGE_BYTES}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  return validateMachineImage(raw);
}

export function validateMachineImage(raw: unknown): ImageParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: 'image: expected a JSON object' };
  }
  const arch = (raw as { arch?: unknown }).arch;
  let image: MachineImage;
  let paBits: number;
  switch (arch) {
    case 'x86_64': {
      const r = x86ImageSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: formatIssue(r.error) };
      image = toX86Image(r.data);
      paBits = image.maxphyaddr;
      break;
    }
    case 'riscv64': {
      const r = riscv64ImageSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: formatIssue(r.error) };
      const { frames: _frames, ...img } = r.data;
      image = img;
      paBits = 56; // Sv39/48/57 physical addresses are 56 bits (PPN 44 bits + 12)
      break;
    }
    case 'arm64': {
      const r = arm64ImageSchema.safeParse(raw);
      if (!r.success) return { ok: false, error: formatIssue(r.error) };
      const { frames: _frames, ...img } = r.data;
      image = img;
      paBits = oaBits(img.ips);
      break;
    }
    default:
      return {
        ok: false,
        error: `arch: expected "x86_64", "riscv64" or "arm64", got ${JSON.stringify(arch)?.slice(0, 40)}`,
      };
  }
  const rawFrames = (raw as { frames: Record<string, string> }).frames;
  const keys = Object.keys(rawFrames);
  if (keys.length > MAX_IMAGE_FRAMES) {
    return { ok: false, error: `frames: ${keys.length} frames; the limit is ${MAX_IMAGE_FRAMES}` };
  }
  const frames: ImageFrames = new Map();
  const frameKeys = new Map<string, number>();
  for (const key of keys) {
    if (!/^(0x)?[0-9a-fA-F]{1,16}$/.test(key)) {
      return { ok: false, error: `frames: key "${key.slice(0, 40)}" is not a hex physical address` };
    }
    const pa = BigInt(key.startsWith('0x') ? key : `0x${key}`);
    if ((pa & 0xfffn) !== 0n) return { ok: false, error: `frames: ${key} is not 4 KiB aligned` };
    if (pa >> BigInt(paBits) !== 0n) {
      return { ok: false, error: `frames: ${key} lies above the ${paBits}-bit physical address space` };
    }
    const pfn = Number(pa >> 12n);
    if (frames.has(pfn)) return { ok: false, error: `frames: ${key} names a frame twice` };
    frames.set(pfn, hexToFrame(rawFrames[key] as string));
    frameKeys.set(key, pfn);
  }
  return { ok: true, value: { image, frames, frameKeys } };
}
