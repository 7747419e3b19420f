// Runs an x86-64 machine image: each access is a fresh walk by the same walker the simulation
// uses (no TLB), with A/D updates left in memory for the next access.
import { isCanonical, type X86Control } from '../arch/x86_64/control';
import { newWalkOut, walkPageTable } from '../arch/x86_64/walk';
import type { PhysMem } from '../mem/physmem';
import { hexAddr, type ImageFrames, type ImageResult } from './types';

export interface X86Access {
  va: bigint;
  kind: 'read' | 'write' | 'fetch';
  cpl: 0 | 3;
  /** EFLAGS.AC for this access. */
  ac: boolean;
}

export interface X86Image {
  arch: 'x86_64';
  levels: 4 | 5;
  maxphyaddr: number;
  cr3: bigint;
  cr0Wp: boolean;
  cr4Smep: boolean;
  cr4Smap: boolean;
  cr4Pge: boolean;
  eferNxe: boolean;
  accesses: X86Access[];
}

/** A PhysMem view of the image's frames: the same Uint32Arrays, so walker writes land in `frames`. */
export function physMemOfImage(frames: ImageFrames, maxphyaddr: number): PhysMem {
  // Frame numbers can exceed a dense array's range (MAXPHYADDR 52 gives 2^40 frames): then a
  // sparse array indexes them all. Small images get a preallocated array, which V8 reads faster.
  let top = 0;
  for (const pfn of frames.keys()) top = Math.max(top, pfn);
  const dense: (Uint32Array | undefined)[] = top < 1 << 20 ? new Array(top + 1) : [];
  for (const [pfn, words] of frames) dense[pfn] = words;
  return {
    frameCount: 2 ** (maxphyaddr - 12),
    frames: dense,
    used: new Map(),
    freeList: [],
    nextFresh: 0,
    allocs: 0,
  };
}

export function runX86Image(img: X86Image, frames: ImageFrames): ImageResult[] {
  const mem = physMemOfImage(frames, img.maxphyaddr);
  // CR3 bits M-1:12 hold the root table; PCID, PWT/PCD and bit 63 do not change a walk (SDM 4.5).
  const rootPfn = Number((img.cr3 & ((1n << BigInt(img.maxphyaddr)) - 1n)) >> 12n);
  const vpnMask = (1n << BigInt(img.levels === 5 ? 45 : 36)) - 1n;
  const out = newWalkOut();
  const results: ImageResult[] = [];
  for (const a of img.accesses) {
    // A non-canonical address never reaches paging: #GP, vector 13, no CR2 (SDM 3.3.7.1, 6.15).
    if (!isCanonical(a.va, img.levels)) {
      results.push({ ok: false, vector: 13 });
      continue;
    }
    const ctl: X86Control = {
      wp: img.cr0Wp,
      nxe: img.eferNxe,
      smep: img.cr4Smep,
      smap: img.cr4Smap,
      ac: a.ac,
      pge: img.cr4Pge,
      levels: img.levels,
      maxPhyAddr: img.maxphyaddr,
    };
    const vpn = Number((a.va >> 12n) & vpnMask);
    // Frames outside the image read as zero; writes only touch entries the walk found present.
    if (walkPageTable(mem, rootPfn, vpn, a.kind, a.cpl === 3, ctl, out, null)) {
      results.push({ ok: true, pa: hexAddr(BigInt(out.pfn) * 4096n + (a.va & 0xfffn)) });
    } else {
      results.push({ ok: false, vector: 14, error_code: out.errorCode, cr2: hexAddr(a.va) });
    }
  }
  return results;
}
