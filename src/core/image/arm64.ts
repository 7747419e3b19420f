// The machine-image runner for arch "arm64" (docs/machine-image.md): each access is a fresh
// stage-1 EL1&0 walk with no TLB, but hardware AF/dirty updates stay in `frames`, in order.
import { type ArmAccessKind, walkArm64 } from '../arch/arm64/walk';
import { hexAddr, type ImageFrames, type ImageResult } from './types';

export interface Arm64Access {
  va: bigint;
  kind: ArmAccessKind;
  el: 0 | 1;
}

export interface Arm64Image {
  arch: 'arm64';
  t0sz: number;
  t1sz: number;
  ttbr0: bigint;
  ttbr1: bigint;
  /** Tags non-global TLB entries; a walk without a TLB does not depend on it. */
  asid: number;
  hafdbs: boolean;
  pan: boolean;
  wxn: boolean;
  ips: number;
  accesses: Arm64Access[];
}

/** Runs every access in order, mutating `frames`; one result line per access. */
export function runArm64Image(img: Arm64Image, frames: ImageFrames): ImageResult[] {
  const cfg = {
    t0sz: img.t0sz,
    t1sz: img.t1sz,
    ttbr0: img.ttbr0,
    ttbr1: img.ttbr1,
    hafdbs: img.hafdbs,
    pan: img.pan,
    wxn: img.wxn,
    ips: img.ips,
  };
  return img.accesses.map((a): ImageResult => {
    const r = walkArm64(frames, cfg, a.va, a.kind, a.el);
    if (r.ok) return { ok: true, pa: hexAddr(r.pa) };
    return { ok: false, fault: r.fault, level: r.level, esr: hexAddr(r.esr), far: hexAddr(r.far) };
  });
}
