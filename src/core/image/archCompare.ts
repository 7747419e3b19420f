// The arch-compare lesson: one access of the one program (archProgram.ts) translated by four
// MMUs side by side, each by its own walker (the same code `vmscope translate` runs). For each
// machine: the VA cut into that MMU's index fields, every entry the walk read (raw and decoded
// under the architecture's names) and the physical address, or the fault as that architecture
// reports it. Each probe walks freshly built tables, so probes never affect one another.
import { walkArm64 } from '../arch/arm64/walk';
import { walkRiscv } from '../arch/riscv64/walk';
import type { RiscvWalkLevel } from '../arch/riscv64/walk';
import type { ArmWalkLevel } from '../arch/arm64/walk';
import { isCanonical, type X86Control } from '../arch/x86_64/control';
import { LEVEL_NAMES } from '../arch/x86_64/pte';
import { newWalkOut, walkPageTable, type WalkLevel } from '../arch/x86_64/walk';
import { buildArm, buildRiscv, buildX86, type Probe } from './archProgram';
import { decodeEntry, type EntryFlag, type EntryRegime, type EntryRole, rawHex, sizeName } from './entryView';
import { hexAddr } from './types';
import { physMemOfImage } from './x86_64';

export const COMPARE_ARCHES = ['x86_64-4', 'x86_64-5', 'riscv64-sv39', 'arm64-4k'] as const;
export type CompareArch = (typeof COMPARE_ARCHES)[number];

/** A slice of the VA. `depth` counts levels above the last table (0 = PT, VPN[0], L3). */
export interface SplitField {
  name: string;
  hi: number;
  lo: number;
  /** Decimal for an index, hex for the offset and the upper bits. */
  value: string;
  role: 'upper' | 'index' | 'offset';
  depth: number;
}

export interface WalkRow {
  /** The table's name: PML4, "VPN[2]", "L0". */
  table: string;
  depth: number;
  tableAddr: string;
  index: number;
  entryAddr: string;
  raw: string;
  role: EntryRole;
  flags: EntryFlag[];
  /** "table at 0x11000", "4 KiB page at 0x2c000", or why the entry stops the walk. */
  note: string;
}

export type CompareOutcome =
  | { ok: true; pa: string; summary: string }
  | { ok: false; fault: string; detail: string };

export interface ArchColumn {
  arch: CompareArch;
  title: string;
  /** The register the walk starts from and the controls that matter. */
  regime: string;
  /** Bits per field from the top index down to the offset, e.g. "9-9-9-9-12". */
  pattern: string;
  split: SplitField[];
  /** What the bits above the indices say: sign extension, or ARM's TTBR0/TTBR1 choice. */
  upperNote: string;
  walk: WalkRow[];
  outcome: CompareOutcome;
}

const field = (va: bigint, hi: number, lo: number) => (va >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);

/** The index fields of `levels` 9-bit levels below `top`, with the upper bits and the offset. */
function splitOf(va: bigint, levels: number, names: (depth: number) => string): SplitField[] {
  const top = 12 + 9 * levels;
  const out: SplitField[] = [
    { name: 'upper', hi: 63, lo: top, value: hexAddr(field(va, 63, top)), role: 'upper', depth: -1 },
  ];
  for (let d = levels - 1; d >= 0; d--) {
    const lo = 12 + 9 * d;
    out.push({
      name: names(d),
      hi: lo + 8,
      lo,
      value: String(field(va, lo + 8, lo)),
      role: 'index',
      depth: d,
    });
  }
  out.push({ name: 'offset', hi: 11, lo: 0, value: hexAddr(field(va, 11, 0)), role: 'offset', depth: -1 });
  return out;
}

function pattern(levels: number): string {
  return `${Array(levels).fill('9').join('-')}-12`;
}

/** True when bits 63:`from` all equal bit `from - 1`. */
function signExtended(va: bigint, from: number): boolean {
  const top = va >> BigInt(from - 1);
  return top === 0n || top === (1n << BigInt(65 - from)) - 1n;
}

function row(
  regime: EntryRegime,
  table: string,
  depth: number,
  tableAddr: bigint,
  index: number,
  raw: bigint,
): WalkRow {
  const d = decodeEntry(regime, raw, depth);
  const note =
    d.role === 'table'
      ? `next table at ${hexAddr(d.next)}`
      : d.role === 'leaf'
        ? `${sizeName(d.pageShift)} page at ${hexAddr(d.next)}`
        : d.note;
  return {
    table,
    depth,
    tableAddr: hexAddr(tableAddr),
    index,
    entryAddr: hexAddr(tableAddr + BigInt(index * 8)),
    raw: rawHex(raw),
    role: d.role,
    flags: d.flags,
    note,
  };
}

const PF_NAMES: [number, string][] = [
  [0, 'P'],
  [1, 'W'],
  [2, 'U'],
  [3, 'RSVD'],
  [4, 'I'],
];

/** Why an x86 walk that reached its leaf denied the access (SDM 4.6), from the rows it read. */
function x86Denial(rows: WalkRow[], probe: Probe): string {
  const all = (name: string) => rows.every((r) => r.flags.find((f) => f.name === name)?.value === '1');
  const user = probe.priv === 'user';
  const us = all('US');
  if (user && !us) return 'U/S=0 on the walk: a supervisor page, and CPL is 3';
  if (probe.kind === 'fetch') {
    if (!user && us) return 'SMEP: the kernel may not execute a user page';
    return 'XD=1 on the walk: the page is not executable';
  }
  if (!user && us) return 'SMAP: a kernel data access to a user page (EFLAGS.AC=0)';
  return 'R/W=0 on the walk: the page is read-only';
}

function x86Column(levels: 4 | 5, probe: Probe): ArchColumn {
  const { image, frames } = buildX86(levels);
  const regime: EntryRegime = { arch: 'x86_64', maxPhyAddr: image.maxphyaddr, nxe: image.eferNxe };
  const vaBits = levels === 5 ? 57 : 48;
  const base = {
    arch: (levels === 5 ? 'x86_64-5' : 'x86_64-4') as CompareArch,
    title: `x86-64, ${levels}-level`,
    regime: `CR3 ${hexAddr(image.cr3)} · CR4.LA57=${levels === 5 ? 1 : 0} · WP SMEP SMAP NXE on`,
    pattern: pattern(levels),
    split: splitOf(probe.va, levels, (d) => LEVEL_NAMES[d + 1] ?? '?'),
  };
  if (!isCanonical(probe.va, levels)) {
    return {
      ...base,
      upperNote: `bits 63:${vaBits} do not copy bit ${vaBits - 1}: not canonical`,
      walk: [],
      outcome: {
        ok: false,
        fault: '#GP(0), vector 13',
        detail: `a non-canonical address never reaches paging (SDM 3.3.7.1); no CR2`,
      },
    };
  }
  const ctl: X86Control = {
    wp: image.cr0Wp,
    nxe: image.eferNxe,
    smep: image.cr4Smep,
    smap: image.cr4Smap,
    ac: false,
    pge: image.cr4Pge,
    levels,
    maxPhyAddr: image.maxphyaddr,
  };
  const trace: WalkLevel[] = [];
  const out = newWalkOut();
  const vpn = Number((probe.va >> 12n) & ((1n << BigInt(vaBits - 12)) - 1n));
  const mem = physMemOfImage(frames, image.maxphyaddr);
  walkPageTable(mem, Number(image.cr3 >> 12n), vpn, probe.kind, probe.priv === 'user', ctl, out, trace);
  const walk = trace.map((t) =>
    row(
      regime,
      LEVEL_NAMES[t.level] ?? '?',
      t.level - 1,
      BigInt(t.tablePfn) << 12n,
      t.index,
      (BigInt(t.hi) << 32n) | BigInt(t.lo),
    ),
  );
  const upperNote = `bits 63:${vaBits} copy bit ${vaBits - 1}: canonical`;
  if (out.ok) {
    const pa = (BigInt(out.pfn) << 12n) | (probe.va & 0xfffn);
    return {
      ...base,
      upperNote,
      walk,
      outcome: {
        ok: true,
        pa: hexAddr(pa),
        summary: `${sizeName(out.pageShift)} page, ${levels} entries read`,
      },
    };
  }
  const names = PF_NAMES.filter(([b]) => (out.errorCode >> b) & 1).map(([, n]) => n);
  const last = walk[walk.length - 1];
  const detail =
    out.fault === 'not-present'
      ? `${last?.table ?? ''} entry ${last?.index ?? ''} has P=0`
      : out.fault === 'reserved'
        ? `${last?.table ?? ''} entry ${last?.index ?? ''}: ${last?.note ?? 'reserved bit set'}`
        : x86Denial(walk, probe);
  return {
    ...base,
    upperNote,
    walk,
    outcome: {
      ok: false,
      fault: `#PF, error code ${hexAddr(BigInt(out.errorCode))} (${names.join(' ') || 'none'}), CR2 ${hexAddr(probe.va)}`,
      detail,
    },
  };
}

const RISCV_CAUSE: Record<number, string> = {
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store/AMO page fault',
};

function riscvColumn(probe: Probe): ArchColumn {
  const { image, frames } = buildRiscv();
  const regime: EntryRegime = { arch: 'riscv64' };
  const trace: RiscvWalkLevel[] = [];
  const cfg = { mode: image.mode, rootPpn: image.satpPpn, sum: image.sum, mxr: image.mxr, adue: image.adue };
  const r = walkRiscv(frames, cfg, probe.va, probe.kind, probe.priv === 'user' ? 'U' : 'S', trace);
  const walk = trace.map((t) => row(regime, `level ${t.level}`, t.level, t.tableAddr, t.index, t.pte));
  const canonical = signExtended(probe.va, 39);
  const base = {
    arch: 'riscv64-sv39' as const,
    title: 'RISC-V Sv39',
    regime: `satp MODE=8 (Sv39) PPN ${hexAddr(image.satpPpn)} · SUM=0 · A/D by hardware`,
    pattern: pattern(3),
    split: splitOf(probe.va, 3, (d) => `VPN[${d}]`),
    upperNote: canonical
      ? 'bits 63:39 copy bit 38: a valid Sv39 address'
      : 'bits 63:39 do not copy bit 38: a page fault before any PTE is read',
    walk,
  };
  if (r.ok) {
    return {
      ...base,
      outcome: {
        ok: true,
        pa: hexAddr(r.pa),
        summary: `${sizeName(12 + 9 * r.level)} page, ${walk.length} PTEs read`,
      },
    };
  }
  return {
    ...base,
    outcome: {
      ok: false,
      fault: `${RISCV_CAUSE[r.cause] ?? 'page fault'} (scause ${r.cause}), stval ${hexAddr(r.tval)}`,
      detail: r.reason,
    },
  };
}

function armColumn(probe: Probe): ArchColumn {
  const { image, frames } = buildArm();
  const regime: EntryRegime = { arch: 'arm64', oaBits: 48 };
  const trace: ArmWalkLevel[] = [];
  const el = probe.priv === 'user' ? 0 : 1;
  const r = walkArm64(frames, image, probe.va, probe.kind, el, trace);
  const walk = trace.map((t) => row(regime, `L${t.level}`, 3 - t.level, t.tableAddr, t.index, t.desc));
  const upper = field(probe.va, 63, 48);
  // VA bit 55 picks the region; the bits above the 48 VA bits must then be all 0 or all 1.
  const upperNote =
    upper === 0n
      ? 'bits 63:48 all 0: TTBR0_EL1 (user half)'
      : upper === 0xffffn
        ? 'bits 63:48 all 1: TTBR1_EL1 (kernel half)'
        : `bit 55 = ${field(probe.va, 55, 55)} picks ${field(probe.va, 55, 55) ? 'TTBR1' : 'TTBR0'}, but bits 63:48 are not all ${field(probe.va, 55, 55)}: out of range`;
  const base = {
    arch: 'arm64-4k' as const,
    title: 'ARM64, 4 KiB granule',
    regime: `TTBR0 ${hexAddr(image.ttbr0)} · TTBR1 ${hexAddr(image.ttbr1)} · T0SZ=T1SZ=16 · PAN on`,
    pattern: pattern(4),
    split: splitOf(probe.va, 4, (d) => `L${3 - d}`).map((f) =>
      f.role === 'upper' ? { ...f, name: 'TTBR select' } : f,
    ),
    upperNote,
    walk,
  };
  if (r.ok) {
    return {
      ...base,
      outcome: {
        ok: true,
        pa: hexAddr(r.pa),
        summary: `${sizeName(12 + 9 * (3 - r.level))} page, ${walk.length} descriptors read`,
      },
    };
  }
  return {
    ...base,
    outcome: {
      ok: false,
      fault: `${r.fault} fault, level ${r.level} · ESR_EL1 ${hexAddr(r.esr)}, FAR ${hexAddr(r.far)}`,
      detail: r.reason,
    },
  };
}

/** The probe on all four machines, in COMPARE_ARCHES order. */
export function compareProbe(probe: Probe): ArchColumn[] {
  const va = BigInt.asUintN(64, probe.va);
  const p = { ...probe, va };
  return [x86Column(4, p), x86Column(5, p), riscvColumn(p), armColumn(p)];
}
