// A machine image's page-table tree, for browsing: from each root register (CR3, satp, TTBR0 and
// TTBR1) every table's entries that hold something, with the VA range each covers, the raw
// value, the decoded flags and the next table or the page it maps. Runs of zero entries become
// one gap row ("entries 3-510 empty"), so a 512-entry table stays readable. The tree is bounded
// (a hostile image can point many entries at big tables, or a table at its own ancestor): a loop
// is cut where it closes, and after MAX_TREE_ROWS rows no further table is expanded.
import { levelShift, oaBits, startLevel } from '../arch/arm64/desc';
import { MODE_LEVELS } from '../arch/riscv64/pte';
import { LEVEL_NAMES } from '../arch/x86_64/pte';
import { decodeEntry, type EntryFlag, type EntryRegime, type EntryRole, rawHex, sizeName } from './entryView';
import type { AnyImage } from './run';
import { hexAddr, type ImageFrames, readQword } from './types';

export const MAX_TREE_ROWS = 5000;

export interface TreeGapRow {
  kind: 'gap';
  from: number;
  to: number;
}

export interface TreeEntryRow {
  kind: 'entry';
  index: number;
  vaStart: string;
  vaEnd: string;
  raw: string;
  role: EntryRole;
  flags: EntryFlag[];
  /** "table at 0x2000", "4 KiB page at 0x5000", or why the entry is invalid or reserved. */
  note: string;
  /** The next table, expanded; null for leaves, invalid entries, and cut branches. */
  child: TreeTable | null;
  /** Why a table entry has no child here ("a loop", "row limit"); '' otherwise. */
  cut: string;
}

export type TreeRow = TreeEntryRow | TreeGapRow;

export interface TreeTable {
  /** Unique in the tree: the path of indices from the root ("TTBR1/511/256"). */
  id: string;
  /** PML4, VPN[2], L0 ... */
  name: string;
  /** Levels above the last table: 0 for PT, VPN[0] and L3 (the colour of the level). */
  depth: number;
  addr: string;
  /** Entries in the table (512, or fewer in an ARM start table with a larger TxSZ). */
  size: number;
  /** False when the image holds no frame here: every entry reads as zero. */
  inImage: boolean;
  rows: TreeRow[];
}

export interface TreeRoot {
  /** "CR3", "satp", "TTBR0_EL1", "TTBR1_EL1". */
  register: string;
  /** What the register selects, e.g. "user half: VAs 0x0 to 0xffffffffffff". */
  covers: string;
  table: TreeTable;
}

export interface ImageTree {
  roots: TreeRoot[];
  /** True when the row limit stopped some table from being expanded. */
  truncated: boolean;
}

interface RootSpec {
  register: string;
  addr: bigint;
  depth: number;
  size: number;
  /** VA of entry 0 of the root table (before sign extension). */
  vaBase: bigint;
  /** Sign-extend from this bit (x86, RISC-V); 0 for none (ARM computes full VAs). */
  vaBits: number;
}

interface Ctx {
  frames: ImageFrames;
  regime: EntryRegime;
  name: (depth: number) => string;
  rows: number;
  max: number;
  truncated: boolean;
}

function signExtend(va: bigint, bits: number): bigint {
  if (bits === 0) return BigInt.asUintN(64, va);
  return BigInt.asUintN(64, BigInt.asIntN(bits, va));
}

function readTable(
  ctx: Ctx,
  id: string,
  addr: bigint,
  depth: number,
  size: number,
  vaBase: bigint,
  vaBits: number,
  ancestors: Set<bigint>,
): TreeTable {
  const shift = BigInt(12 + 9 * depth);
  const rows: TreeRow[] = [];
  let gapFrom = -1;
  const entries: { index: number; raw: bigint }[] = [];
  for (let i = 0; i < size; i++) {
    const at = addr + BigInt(i * 8);
    const raw = readQword(ctx.frames, Number(at >> 12n), Number(at & 0xfffn));
    if (raw === 0n) {
      if (gapFrom < 0) gapFrom = i;
      continue;
    }
    if (gapFrom >= 0) rows.push({ kind: 'gap', from: gapFrom, to: i - 1 });
    gapFrom = -1;
    rows.push(entryRow(ctx, i, raw, depth, vaBase, shift, vaBits));
    entries.push({ index: i, raw });
  }
  if (gapFrom >= 0) rows.push({ kind: 'gap', from: gapFrom, to: size - 1 });
  ctx.rows += rows.length;
  // Children after this table's own rows, so the limit cuts deep branches before wide ones.
  const inner = new Set(ancestors).add(addr);
  for (const r of rows) {
    if (r.kind !== 'entry' || r.role !== 'table') continue;
    const next = decodeEntry(ctx.regime, BigInt(r.raw), depth).next;
    if (inner.has(next)) {
      r.cut = 'points back at a table above it (a loop): not expanded again';
    } else if (ctx.rows >= ctx.max) {
      r.cut = `not expanded: the tree shows at most ${ctx.max} rows`;
      ctx.truncated = true;
    } else {
      const childBase = vaBase + (BigInt(r.index) << shift);
      r.child = readTable(ctx, `${id}/${r.index}`, next, depth - 1, 512, childBase, vaBits, inner);
    }
  }
  return {
    id,
    name: ctx.name(depth),
    depth,
    addr: hexAddr(addr),
    size,
    inImage: ctx.frames.has(Number(addr >> 12n)),
    rows,
  };
}

function entryRow(
  ctx: Ctx,
  index: number,
  raw: bigint,
  depth: number,
  vaBase: bigint,
  shift: bigint,
  vaBits: number,
): TreeEntryRow {
  const d = decodeEntry(ctx.regime, raw, depth);
  const start = vaBase + (BigInt(index) << shift);
  const end = start + (1n << shift) - 1n;
  const note =
    d.role === 'table'
      ? `table at ${hexAddr(d.next)}`
      : d.role === 'leaf'
        ? `${sizeName(d.pageShift)} page at ${hexAddr(d.next)}`
        : d.note;
  return {
    kind: 'entry',
    index,
    vaStart: hexAddr(signExtend(start, vaBits)),
    vaEnd: hexAddr(signExtend(end, vaBits)),
    raw: rawHex(raw),
    role: d.role,
    flags: d.flags,
    note,
    child: null,
    cut: '',
  };
}

function rootsOf(image: AnyImage): { regime: EntryRegime; name: (d: number) => string; roots: RootSpec[] } {
  switch (image.arch) {
    case 'x86_64': {
      const bits = image.levels === 5 ? 57 : 48;
      // CR3 bits M-1:12 hold the root; PCID and the cache bits below do not (SDM 4.5).
      const addr = image.cr3 & ((1n << BigInt(image.maxphyaddr)) - 1n) & ~0xfffn;
      return {
        regime: { arch: 'x86_64', maxPhyAddr: image.maxphyaddr, nxe: image.eferNxe },
        name: (d) => LEVEL_NAMES[d + 1] ?? '?',
        roots: [{ register: 'CR3', addr, depth: image.levels - 1, size: 512, vaBase: 0n, vaBits: bits }],
      };
    }
    case 'riscv64': {
      const levels = MODE_LEVELS[image.mode];
      return {
        regime: { arch: 'riscv64' },
        name: (d) => `level ${d}`,
        roots: [
          {
            register: 'satp',
            addr: image.satpPpn << 12n,
            depth: levels - 1,
            size: 512,
            vaBase: 0n,
            vaBits: 12 + 9 * levels,
          },
        ],
      };
    }
    case 'arm64': {
      const half = (register: string, tsz: number, ttbr: bigint, upper: boolean): RootSpec => {
        const vaBits = 64 - tsz;
        const first = startLevel(vaBits);
        const size = 2 ** (vaBits - levelShift(first));
        return {
          register,
          // The start table is aligned to its own size (AArch64.S1Walk).
          addr: ttbr & ~BigInt(size * 8 - 1),
          depth: 3 - first,
          size,
          vaBase: upper ? (1n << 64n) - (1n << BigInt(vaBits)) : 0n,
          vaBits: 0,
        };
      };
      return {
        regime: { arch: 'arm64', oaBits: oaBits(image.ips) },
        name: (d) => `L${3 - d}`,
        roots: [
          half('TTBR0_EL1', image.t0sz, image.ttbr0, false),
          half('TTBR1_EL1', image.t1sz, image.ttbr1, true),
        ],
      };
    }
    default:
      return image satisfies never;
  }
}

/** The tree of every table reachable from the image's root registers, as the image holds them. */
export function imageTree(image: AnyImage, frames: ImageFrames, maxRows = MAX_TREE_ROWS): ImageTree {
  const { regime, name, roots } = rootsOf(image);
  const ctx: Ctx = { frames, regime, name, rows: 0, max: maxRows, truncated: false };
  const out: TreeRoot[] = roots.map((r) => {
    const first = signExtend(r.vaBase, r.vaBits);
    const last = signExtend(r.vaBase + (BigInt(r.size) << BigInt(12 + 9 * r.depth)) - 1n, r.vaBits);
    return {
      register: r.register,
      covers: `VAs ${hexAddr(first)} to ${hexAddr(last)}`,
      table: readTable(ctx, r.register, r.addr, r.depth, r.size, r.vaBase, r.vaBits, new Set()),
    };
  });
  return { roots: out, truncated: ctx.truncated };
}
