// The riscv64 machine-image runner (docs/machine-image.md, "RISC-V"): one fresh Sv39/Sv48/Sv57
// walk per access, in order, over the same physical memory, so Svadu's A/D updates made by one
// access are what the next access reads.
import type { RiscvMode } from '../arch/riscv64/pte';
import { type RiscvAccessKind, type RiscvPriv, walkRiscv } from '../arch/riscv64/walk';
import { hexAddr, type ImageFrames, type ImageResult } from './types';

export interface Riscv64Access {
  va: bigint;
  kind: RiscvAccessKind;
  priv: RiscvPriv;
}

export interface Riscv64Image {
  arch: 'riscv64';
  mode: RiscvMode;
  satpPpn: bigint;
  /** satp.ASID: tags TLB entries only, so a TLB-less walk never reads it. */
  asid: number;
  sum: boolean;
  mxr: boolean;
  adue: boolean;
  accesses: Riscv64Access[];
}

/** Runs every access of `img` against `frames` (mutated in place by A/D updates). */
export function runRiscv64Image(img: Riscv64Image, frames: ImageFrames): ImageResult[] {
  const cfg = { mode: img.mode, rootPpn: img.satpPpn, sum: img.sum, mxr: img.mxr, adue: img.adue };
  return img.accesses.map((a): ImageResult => {
    const r = walkRiscv(frames, cfg, a.va, a.kind, a.priv);
    return r.ok ? { ok: true, pa: hexAddr(r.pa) } : { ok: false, cause: r.cause, tval: hexAddr(r.tval) };
  });
}
