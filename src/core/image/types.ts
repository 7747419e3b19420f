// The machine-image contract shared by every architecture (docs/machine-image.md in ../shared):
// physical memory as 4 KiB frames plus one list of accesses. Each access is a fresh walk (no TLB
// carried over) but accessed/dirty updates stay in memory, in order. Validation of the untrusted
// JSON lives in src/scenarios/image; by the time a runner here sees an image it is well-formed.

/** Physical memory of an image: frame number (physical address >> 12) to 1024 little-endian words. */
export type ImageFrames = Map<number, Uint32Array>;

/** Reads 64 bits at a byte offset (multiple of 8) of a frame; a frame not in the image reads as zero. */
export function readQword(frames: ImageFrames, pfn: number, byteOffset: number): bigint {
  const w = frames.get(pfn);
  if (w === undefined) return 0n;
  const i = byteOffset >>> 2;
  return (BigInt(w[i + 1] as number) << 32n) | BigInt(w[i] as number);
}

/** Writes 64 bits at a byte offset of a frame, creating the frame (zeroed) if the image lacked it. */
export function writeQword(frames: ImageFrames, pfn: number, byteOffset: number, value: bigint): void {
  let w = frames.get(pfn);
  if (w === undefined) {
    w = new Uint32Array(1024);
    frames.set(pfn, w);
  }
  const i = byteOffset >>> 2;
  w[i] = Number(value & 0xffffffffn);
  w[i + 1] = Number((value >> 32n) & 0xffffffffn);
}

/** Hex of a frame's bytes in memory order ("missing bytes are zero"), as images store them. */
export function frameToHex(words: Uint32Array): string {
  let s = '';
  for (let i = 0; i < words.length; i++) {
    const v = words[i] as number;
    for (let b = 0; b < 4; b++) s += ((v >>> (8 * b)) & 0xff).toString(16).padStart(2, '0');
  }
  return s;
}

/** Parses up to 4096 bytes of hex (even length, already validated) into a zero-padded frame. */
export function hexToFrame(hex: string): Uint32Array {
  const w = new Uint32Array(1024);
  for (let i = 0; i + 1 < hex.length && i < 8192; i += 2) {
    const byte = Number.parseInt(hex.slice(i, i + 2), 16);
    const at = i >> 1;
    w[at >> 2] = ((w[at >> 2] as number) | (byte << (8 * (at & 3)))) >>> 0;
  }
  return w;
}

/** Lower-case hex with a 0x prefix and no padding, as results print addresses. */
export function hexAddr(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** One result line: the architecture decides its fields (docs/machine-image.md). */
export type ImageResult = Readonly<Record<string, string | number | boolean>>;

export interface ImageRun {
  results: ImageResult[];
  /** Every frame named in the input, after all accesses, as 8192 hex characters. */
  framesAfter: Record<string, string>;
}
