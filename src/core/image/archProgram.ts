// The one small program of the arch-compare lesson, and a deterministic builder that lays out its
// page tables for each MMU: x86-64 with 4 and 5 levels, RISC-V Sv39, ARM64 with the 4 KiB
// granule. Every machine gets the same virtual pages mapped to the same physical frames, so a
// student can see that only the splits and the entry formats differ. (Real boards put RAM at
// different physical addresses; the lesson uses one layout so that the PAs can be compared.)
// Tables are allocated in order of first use from TABLE_BASE, so the same program always gives
// the same bytes.
import { encodeLeaf, encodeTable } from '../arch/arm64/desc';
import { encodePte, ptePpn } from '../arch/riscv64/pte';
import { encodeEntry } from '../arch/x86_64/pte';
import type { Arm64Image } from './arm64';
import type { Riscv64Image } from './riscv64';
import { type ImageFrames, readQword, writeQword } from './types';
import type { X86Image } from './x86_64';

export interface ProgramPage {
  name: string;
  va: bigint;
  pa: bigint;
  user: boolean;
  write: boolean;
  exec: boolean;
}

export type ProbeKind = 'read' | 'write' | 'fetch';
export type ProbePriv = 'user' | 'kernel';

/** One access: a VA, what the CPU does there, and in which mode. */
export interface Probe {
  va: bigint;
  kind: ProbeKind;
  priv: ProbePriv;
}

export interface ProgramAccess extends Probe {
  label: string;
}

/**
 * A user process (code, read-only data, data, a stack page) and one kernel page. The VAs fit
 * every MMU here: Sv39 gives user space only 256 GiB (bits 63:39 copy bit 38), so the stack sits
 * below 2^38 and the kernel page in the top 256 GiB.
 */
export const PROGRAM_PAGES: readonly ProgramPage[] = [
  { name: 'code', va: 0x40_1000n, pa: 0x2a000n, user: true, write: false, exec: true },
  { name: 'rodata', va: 0x50_3000n, pa: 0x2b000n, user: true, write: false, exec: false },
  { name: 'data', va: 0x60_2000n, pa: 0x2c000n, user: true, write: true, exec: false },
  { name: 'stack', va: 0x3f_ffff_f000n, pa: 0x2d000n, user: true, write: true, exec: false },
  { name: 'kernel', va: 0xffff_ffc0_0020_1000n, pa: 0x2e000n, user: false, write: true, exec: false },
];

export const PROGRAM_ACCESSES: readonly ProgramAccess[] = [
  { label: 'fetch an instruction', va: 0x40_1040n, kind: 'fetch', priv: 'user' },
  { label: 'read a global', va: 0x60_2010n, kind: 'read', priv: 'user' },
  { label: 'push on the stack', va: 0x3f_ffff_fff8n, kind: 'write', priv: 'user' },
  { label: 'write read-only data', va: 0x50_3008n, kind: 'write', priv: 'user' },
  { label: 'read unmapped memory', va: 0x70_0000n, kind: 'read', priv: 'user' },
  { label: 'user reads a kernel page', va: 0xffff_ffc0_0020_1000n, kind: 'read', priv: 'user' },
];

/** Page tables start here; the program's frames sit above them at 0x2a000. */
export const TABLE_BASE = 0x10000n;

/** How one architecture writes a pointer to a table and a leaf, and reads a pointer back. */
interface EntryFormat {
  pointer: (next: bigint, page: ProgramPage) => bigint;
  leaf: (page: ProgramPage) => bigint;
  follow: (entry: bigint) => bigint;
}

/** Writes one mapping of `levels` 9-bit levels below `root`, allocating tables as needed. */
function mapPage(
  frames: ImageFrames,
  alloc: () => bigint,
  root: bigint,
  levels: number,
  page: ProgramPage,
  fmt: EntryFormat,
): void {
  let table = root;
  for (let depth = levels - 1; depth >= 0; depth--) {
    const index = Number((page.va >> BigInt(12 + 9 * depth)) & 511n);
    const pfn = Number(table >> 12n);
    if (depth === 0) {
      writeQword(frames, pfn, index * 8, fmt.leaf(page));
      return;
    }
    const existing = readQword(frames, pfn, index * 8);
    if (existing !== 0n) {
      table = fmt.follow(existing);
      continue;
    }
    const next = alloc();
    writeQword(frames, Number(next >> 12n), 0, 0n);
    writeQword(frames, pfn, index * 8, fmt.pointer(next, page));
    table = next;
  }
}

function allocator(): () => bigint {
  let next = TABLE_BASE;
  return () => {
    const at = next;
    next += 0x1000n;
    return at;
  };
}

/** Bits 51:12 (x86) or 47:12 (ARM) of a table pointer. */
const addrField = (entry: bigint) => entry & 0x000f_ffff_ffff_f000n;

const X86_FORMAT: EntryFormat = {
  pointer: (next, page) => {
    const [lo, hi] = encodeEntry({ pfn: Number(next >> 12n), rw: true, us: page.user, a: true });
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
  leaf: (p) => {
    const [lo, hi] = encodeEntry({
      pfn: Number(p.pa >> 12n),
      rw: p.write,
      us: p.user,
      g: !p.user,
      nx: !p.exec,
    });
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
  follow: addrField,
};

const RISCV_FORMAT: EntryFormat = {
  pointer: (next) => encodePte({ ppn: next >> 12n }),
  leaf: (p) => encodePte({ ppn: p.pa >> 12n, r: true, w: p.write, x: p.exec, u: p.user, g: !p.user }),
  follow: (entry) => ptePpn(entry) << 12n,
};

const ARM_FORMAT: EntryFormat = {
  pointer: (next) => encodeTable(next),
  leaf: (p) =>
    encodeLeaf(
      {
        oa: p.pa,
        ap: (p.write ? 0 : 2) | (p.user ? 1 : 0),
        af: true,
        ng: p.user,
        pxn: p.user || !p.exec,
        uxn: !(p.user && p.exec),
      },
      3,
    ),
  follow: addrField,
};

export interface BuiltX86 {
  image: X86Image;
  frames: ImageFrames;
}

/**
 * x86-64: non-leaf entries P RW US A for the user half and P RW A for the kernel half (Linux
 * _PAGE_TABLE and _KERNPG_TABLE); leaves RW as the page, US for user pages, XD unless
 * executable, G on the kernel page; A and D start clear (the walker sets them). Control: WP,
 * NXE, SMEP, SMAP and PGE on, as Linux sets them on a current core.
 */
export function buildX86(levels: 4 | 5): BuiltX86 {
  const frames: ImageFrames = new Map();
  const alloc = allocator();
  const root = alloc();
  writeQword(frames, Number(root >> 12n), 0, 0n);
  for (const page of PROGRAM_PAGES) {
    mapPage(frames, alloc, root, levels, page, X86_FORMAT);
  }
  return {
    frames,
    image: {
      arch: 'x86_64',
      levels,
      maxphyaddr: 46,
      cr3: root,
      cr0Wp: true,
      cr4Smep: true,
      cr4Smap: true,
      cr4Pge: true,
      eferNxe: true,
      accesses: [],
    },
  };
}

export interface BuiltRiscv {
  image: Riscv64Image;
  frames: ImageFrames;
}

/**
 * RISC-V Sv39: pointers are V only (R=W=X=0; U, A, D must be 0 there); leaves V R, W and X as
 * the page, U for user pages, G on the kernel page, A and D clear with hardware A/D updating
 * (Svadu). SUM=0: the kernel may not touch user pages, like SMAP and PAN.
 */
export function buildRiscv(): BuiltRiscv {
  const frames: ImageFrames = new Map();
  const alloc = allocator();
  const root = alloc();
  writeQword(frames, Number(root >> 12n), 0, 0n);
  for (const page of PROGRAM_PAGES) {
    mapPage(frames, alloc, root, 3, page, RISCV_FORMAT);
  }
  return {
    frames,
    image: {
      arch: 'riscv64',
      mode: 'sv39',
      satpPpn: root >> 12n,
      asid: 0,
      sum: false,
      mxr: false,
      adue: true,
      accesses: [],
    },
  };
}

export interface BuiltArm {
  image: Arm64Image;
  frames: ImageFrames;
}

/**
 * ARM64, 4 KiB granule, 48-bit VAs (T0SZ = T1SZ = 16): user pages under TTBR0, the kernel page
 * under TTBR1. Leaves as Linux builds them: AF set, AP[2:1] = 01 (user RW), 11 (user RO) or 00
 * (kernel RW), nG on user pages, PXN on every user page, UXN unless the page is user code.
 * PSTATE.PAN on: EL1 data accesses to EL0-readable pages fault, as with SMAP.
 */
export function buildArm(): BuiltArm {
  const frames: ImageFrames = new Map();
  const alloc = allocator();
  const ttbr0 = alloc();
  const ttbr1 = alloc();
  writeQword(frames, Number(ttbr0 >> 12n), 0, 0n);
  writeQword(frames, Number(ttbr1 >> 12n), 0, 0n);
  for (const page of PROGRAM_PAGES) {
    mapPage(frames, alloc, page.user ? ttbr0 : ttbr1, 4, page, ARM_FORMAT);
  }
  return {
    frames,
    image: {
      arch: 'arm64',
      t0sz: 16,
      t1sz: 16,
      ttbr0,
      ttbr1,
      asid: 0,
      hafdbs: false,
      pan: true,
      wxn: false,
      ips: 5,
      accesses: [],
    },
  };
}

export const PROBE_KINDS: readonly ProbeKind[] = ['read', 'write', 'fetch'];
export const PROBE_PRIVS: readonly ProbePriv[] = ['user', 'kernel'];

/**
 * A VA typed by a user: hex with an optional 0x, at most 64 bits. Untrusted, so the length is
 * checked before anything else and the error names the field.
 */
export function parseProbeVa(text: string): { ok: true; va: bigint } | { ok: false; error: string } {
  const t = text.trim();
  if (t.length > 18 || !/^(0[xX])?[0-9a-fA-F]{1,16}$/.test(t)) {
    return { ok: false, error: 'va: expected a hex address of at most 16 digits, like 0x602010' };
  }
  return { ok: true, va: BigInt(t.startsWith('0x') || t.startsWith('0X') ? t : `0x${t}`) };
}
