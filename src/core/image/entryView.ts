// One page-table entry of any of the three architectures, decoded for a reader: its flags under
// the architecture's own names, what the walker makes of it (a pointer to the next table, a leaf,
// invalid, or a reserved encoding that faults) and the address it holds. The walkers stay the
// authority on translations; this module only reads entries, with the same rules they apply.
import {
  DESC_AF,
  DESC_DBM,
  DESC_NG,
  DESC_PXN,
  DESC_UXN,
  descKind,
  leafBase,
  TABLE_PXN,
  TABLE_UXN,
  ADDR_MASK,
} from '../arch/arm64/desc';
import {
  isLeaf,
  PTE_HIGH_RESERVED,
  PTE_NONLEAF_RESERVED,
  PTE_R,
  PTE_V,
  PTE_W,
  ptePpn,
} from '../arch/riscv64/pte';
import { DEFAULT_CONTROL, reservedHighMask } from '../arch/x86_64/control';
import { entryPfn, PTE_PS } from '../arch/x86_64/pte';

/** A flag or field of an entry: "1"/"0" for a bit, binary digits for a field (ARM's AP). */
export interface EntryFlag {
  name: string;
  value: string;
}

/** What a walk does with the entry. */
export type EntryRole = 'table' | 'leaf' | 'invalid' | 'reserved';

export interface DecodedEntry {
  role: EntryRole;
  flags: EntryFlag[];
  /** The next table's physical address (role 'table') or the page's base (role 'leaf'). */
  next: bigint;
  /** log2 of the bytes a leaf maps (12, 21, 30); 0 otherwise. */
  pageShift: number;
  /** Why an entry is invalid or reserved, in the manual's terms; '' otherwise. */
  note: string;
}

/** How entries are read: the architecture and the registers that change the rules. */
export type EntryRegime =
  | { arch: 'x86_64'; maxPhyAddr: number; nxe: boolean }
  | { arch: 'riscv64' }
  | { arch: 'arm64'; oaBits: number };

const bit = (v: bigint, n: bigint) => ((v >> n) & 1n ? '1' : '0');

/** `0x` and 16 hex digits: an entry as it sits in memory. */
export function rawHex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;
}

/**
 * Decodes `raw` read from a table `depth` levels above the last one (0 = PT / level 0 / L3).
 * x86 and RISC-V name levels by that depth (x86 level = depth + 1, RISC-V i = depth); ARM's
 * level is 3 - depth.
 */
export function decodeEntry(regime: EntryRegime, raw: bigint, depth: number): DecodedEntry {
  switch (regime.arch) {
    case 'x86_64':
      return decodeX86(raw, depth + 1, regime.maxPhyAddr, regime.nxe);
    case 'riscv64':
      return decodeRiscv(raw, depth);
    case 'arm64':
      return decodeArm(raw, 3 - depth, regime.oaBits);
    default:
      return regime satisfies never;
  }
}

// Intel SDM vol. 3A tables 4-14 to 4-20: bit 7 is PS in a PDPTE/PDE, PAT in a PTE, reserved in a
// PML4E/PML5E; address alignment bits of large pages (20:13, 29:13) are reserved.
function decodeX86(raw: bigint, level: number, maxPhyAddr: number, nxe: boolean): DecodedEntry {
  const lo = Number(raw & 0xffffffffn);
  const hi = Number((raw >> 32n) & 0xffffffffn);
  const flags: EntryFlag[] = [
    { name: 'P', value: bit(raw, 0n) },
    { name: 'RW', value: bit(raw, 1n) },
    { name: 'US', value: bit(raw, 2n) },
    { name: 'A', value: bit(raw, 5n) },
    { name: 'D', value: bit(raw, 6n) },
    { name: level === 1 ? 'PAT' : 'PS', value: bit(raw, 7n) },
    { name: 'G', value: bit(raw, 8n) },
    { name: 'XD', value: bit(raw, 63n) },
  ];
  const base = { flags, next: 0n, pageShift: 0, note: '' };
  if ((lo & 1) === 0) return { ...base, role: 'invalid', note: 'not present (P=0)' };
  const ps = level > 1 && (lo & PTE_PS) !== 0;
  const rsvdHi = reservedHighMask({ ...DEFAULT_CONTROL, maxPhyAddr, nxe });
  if ((hi & rsvdHi) !== 0) {
    const why = !nxe && hi >>> 31 ? 'XD set while EFER.NXE=0' : `address bits above MAXPHYADDR ${maxPhyAddr}`;
    return { ...base, role: 'reserved', note: `reserved bits: ${why}` };
  }
  if (ps && level >= 4) return { ...base, role: 'reserved', note: 'PS=1 is reserved at this level' };
  if (ps && level === 3 && (lo & 0x3fffe000) !== 0)
    return { ...base, role: 'reserved', note: '1 GiB page not aligned (bits 29:13 reserved)' };
  if (ps && level === 2 && (lo & 0x001fe000) !== 0)
    return { ...base, role: 'reserved', note: '2 MiB page not aligned (bits 20:13 reserved)' };
  const addr = BigInt(entryPfn(lo, hi)) << 12n;
  if (level === 1 || ps) {
    const shift = 12 + 9 * (level - 1);
    return { ...base, role: 'leaf', next: (addr >> BigInt(shift)) << BigInt(shift), pageShift: shift };
  }
  return { ...base, role: 'table', next: addr };
}

// RISC-V Privileged Spec, "Virtual Address Translation Process" steps 3, 4 and 6.
function decodeRiscv(raw: bigint, level: number): DecodedEntry {
  const flags: EntryFlag[] = ['V', 'R', 'W', 'X', 'U', 'G', 'A', 'D'].map((name, i) => ({
    name,
    value: bit(raw, BigInt(i)),
  }));
  const base = { flags, next: 0n, pageShift: 0, note: '' };
  if ((raw & PTE_V) === 0n) return { ...base, role: 'invalid', note: 'V=0' };
  if ((raw & PTE_R) === 0n && (raw & PTE_W) !== 0n)
    return { ...base, role: 'reserved', note: 'W=1 without R is reserved' };
  if ((raw & PTE_HIGH_RESERVED) !== 0n)
    return { ...base, role: 'reserved', note: 'bits 63:54 set (N, PBMT or reserved)' };
  const pa = ptePpn(raw) << 12n;
  if (isLeaf(raw)) {
    const shift = 12 + 9 * level;
    if ((pa & ((1n << BigInt(shift)) - 1n)) !== 0n)
      return { ...base, role: 'reserved', note: `misaligned superpage (PPN[${level - 1}:0] != 0)` };
    return { ...base, role: 'leaf', next: pa, pageShift: shift };
  }
  if ((raw & PTE_NONLEAF_RESERVED) !== 0n)
    return { ...base, role: 'reserved', note: 'D, A or U set in a non-leaf PTE' };
  if (level === 0) return { ...base, role: 'reserved', note: 'pointer at level 0: no level left' };
  return { ...base, role: 'table', next: pa };
}

// Arm ARM DDI 0487 D8.3: descriptor types per level, AP[2:1], AF, nG, PXN, UXN, table controls.
function decodeArm(raw: bigint, level: number, oaBits: number): DecodedEntry {
  const kind = descKind(raw, level);
  const flags: EntryFlag[] = [
    { name: 'valid', value: bit(raw, 0n) },
    { name: level === 3 ? 'page' : 'table', value: bit(raw, 1n) },
  ];
  if (kind === 'table') {
    flags.push(
      { name: 'APTable', value: ((raw >> 61n) & 3n).toString(2).padStart(2, '0') },
      { name: 'UXNTable', value: (raw & TABLE_UXN) !== 0n ? '1' : '0' },
      { name: 'PXNTable', value: (raw & TABLE_PXN) !== 0n ? '1' : '0' },
    );
  } else {
    flags.push(
      { name: 'AF', value: (raw & DESC_AF) !== 0n ? '1' : '0' },
      { name: 'AP', value: ((raw >> 6n) & 3n).toString(2).padStart(2, '0') },
      { name: 'UXN', value: (raw & DESC_UXN) !== 0n ? '1' : '0' },
      { name: 'PXN', value: (raw & DESC_PXN) !== 0n ? '1' : '0' },
      { name: 'nG', value: (raw & DESC_NG) !== 0n ? '1' : '0' },
    );
    if ((raw & DESC_DBM) !== 0n) flags.push({ name: 'DBM', value: '1' });
  }
  const base = { flags, next: 0n, pageShift: 0, note: '' };
  if (kind === 'invalid') {
    if ((raw & 1n) === 0n) return { ...base, role: 'invalid', note: 'invalid (bit 0 = 0)' };
    return {
      ...base,
      role: 'reserved',
      note: level === 3 ? '0b01 at level 3 is reserved (faults)' : 'no blocks at level 0 (faults)',
    };
  }
  if (kind === 'table') {
    const next = raw & ADDR_MASK;
    if (next >> BigInt(oaBits) !== 0n)
      return { ...base, role: 'reserved', note: `next table above the ${oaBits}-bit output size` };
    return { ...base, role: 'table', next };
  }
  const shift = 12 + 9 * (3 - level);
  const pa = leafBase(raw, level);
  if (pa >> BigInt(oaBits) !== 0n)
    return { ...base, role: 'reserved', note: `output address above ${oaBits} bits` };
  return { ...base, role: 'leaf', next: pa, pageShift: shift };
}

/** "4 KiB", "2 MiB", "1 GiB", "512 GiB". */
export function sizeName(shift: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  const u = Math.floor(shift / 10);
  return `${2 ** (shift - 10 * u)} ${units[u] ?? '?'}`;
}
