// The AArch64 stage-1 EL1&0 translation-table walker, 4 KiB granule (Arm ARM DDI 0487 D8,
// pseudocode AArch64.S1Translate / AArch64.S1Walk). It follows the architecture's fault order:
// VA range (translation, level 0), TTBR address size (level 0), then per level invalid descriptor
// (translation) and next-table address size; at the leaf, output address size, then the Access
// flag, then permissions. Only a walk that ends without a fault updates memory (AF and, for a
// write to a DBM page, AP[2]); a faulting walk writes nothing, which is the choice the
// architecture allows for a Permission fault with hardware AF management (Unpredictable_AFUPDATE).
import { type ImageFrames, readQword, writeQword } from '../../image/types';
import {
  DESC_AF,
  DESC_AP1,
  DESC_AP2,
  DESC_DBM,
  DESC_PXN,
  DESC_UXN,
  descKind,
  leafBase,
  levelShift,
  oaBits,
  startLevel,
  ADDR_MASK,
  TABLE_PXN,
  TABLE_UXN,
} from './desc';

export type ArmAccessKind = 'read' | 'write' | 'fetch';
export type ArmFault = 'translation' | 'access-flag' | 'permission' | 'address-size';

export interface ArmWalkConfig {
  /** TCR_EL1.T0SZ / T1SZ: the lower / upper region spans 64 - TxSZ bits (16..39 here). */
  t0sz: number;
  t1sz: number;
  /** Table base addresses (TTBR0_EL1 / TTBR1_EL1 BADDR). */
  ttbr0: bigint;
  ttbr1: bigint;
  /** TCR_EL1.HA and HD together (FEAT_HAFDBS): hardware sets AF and clears AP[2] of DBM pages. */
  hafdbs: boolean;
  /** PSTATE.PAN. */
  pan: boolean;
  /** SCTLR_EL1.WXN. */
  wxn: boolean;
  /** TCR_EL1.IPS. */
  ips: number;
}

/** One descriptor read by the walker, as read (before any hardware update). */
export interface ArmWalkLevel {
  level: number;
  tableAddr: bigint;
  index: number;
  desc: bigint;
}

export type ArmWalkResult =
  | { ok: true; pa: bigint; level: number; desc: bigint }
  | { ok: false; fault: ArmFault; level: number; esr: bigint; far: bigint; reason: string };

/** ESR_ELx exception classes (Linux arch/arm64/include/asm/esr.h). */
export const EC_IABT_LOW = 0x20;
export const EC_IABT_CUR = 0x21;
export const EC_DABT_LOW = 0x24;
export const EC_DABT_CUR = 0x25;
const ESR_IL = 1n << 25n;
const ESR_WNR = 1n << 6n;
/** Fault status code bases; the low two bits are the level (esr.h ESR_ELx_FSC_*). */
const FSC: Record<ArmFault, number> = {
  'address-size': 0x00,
  translation: 0x04,
  'access-flag': 0x08,
  permission: 0x0c,
};

/**
 * ESR_EL1 for a stage-1 abort taken to EL1: EC (instruction/data, from EL0 = lower or EL1 =
 * same), IL = 1 (32-bit instruction), DFSC/IFSC, and WnR for writes (D24.2 ESR_EL1 ISS encoding).
 */
export function armEsr(fault: ArmFault, level: number, kind: ArmAccessKind, el: 0 | 1): bigint {
  const ec = kind === 'fetch' ? (el === 0 ? EC_IABT_LOW : EC_IABT_CUR) : el === 0 ? EC_DABT_LOW : EC_DABT_CUR;
  let esr = (BigInt(ec) << 26n) | ESR_IL | BigInt(FSC[fault] | level);
  if (kind === 'write') esr |= ESR_WNR;
  return esr;
}

/**
 * Translates `va` for an access of `kind` at `el`. Hardware updates (AF, AP[2] for DBM) are
 * written to `frames` only when the access succeeds; `trace` receives every descriptor read.
 * On success `desc` is the leaf descriptor as it stands in memory after the walk.
 */
export function walkArm64(
  frames: ImageFrames,
  cfg: ArmWalkConfig,
  va: bigint,
  kind: ArmAccessKind,
  el: 0 | 1,
  trace?: ArmWalkLevel[],
): ArmWalkResult {
  const v = BigInt.asUintN(64, va);
  const fail = (fault: ArmFault, level: number, reason: string): ArmWalkResult => ({
    ok: false,
    fault,
    level,
    esr: armEsr(fault, level, kind, el),
    far: v,
    reason,
  });
  // VA bit 55 selects the region even with TBI off (AArch64.GetVARange).
  const upper = ((v >> 55n) & 1n) === 1n;
  const tsz = upper ? cfg.t1sz : cfg.t0sz;
  const vaBits = 64 - tsz;
  // Bits [63:vaBits] must all equal the region: 0 for TTBR0, 1 for TTBR1 (AArch64.VAIsOutOfRange);
  // otherwise a level 0 Translation fault.
  const top = v >> BigInt(vaBits);
  if (top !== (upper ? (1n << BigInt(tsz)) - 1n : 0n)) {
    return fail('translation', 0, `VA outside the ${upper ? 'TTBR1' : 'TTBR0'} region (${vaBits}-bit)`);
  }
  const oa = BigInt(oaBits(cfg.ips));
  const first = startLevel(vaBits);
  // The start table holds 2^(vaBits - shift) entries and is aligned to its own size.
  const firstBytes = 8n << BigInt(vaBits - levelShift(first));
  let table = (upper ? cfg.ttbr1 : cfg.ttbr0) & ~(firstBytes - 1n);
  // A table base beyond the output-address size is a level 0 Address size fault (AArch64.S1Walk).
  if (table >> oa !== 0n) return fail('address-size', 0, `TTBR beyond the ${oa}-bit output size`);
  let apTable = 0n;
  let pxnTable = false;
  let uxnTable = false;
  for (let level = first; ; level++) {
    const shift = BigInt(levelShift(level));
    const width = level === first ? BigInt(vaBits) - shift : 9n;
    const index = Number((v >> shift) & ((1n << width) - 1n));
    const at = table + BigInt(index * 8);
    const pfn = Number(at >> 12n);
    const off = Number(at & 0xfffn);
    const desc = readQword(frames, pfn, off);
    trace?.push({ level, tableAddr: table, index, desc });
    const kindAt = descKind(desc, level);
    if (kindAt === 'invalid') return fail('translation', level, invalidReason(desc, level));
    if (kindAt === 'table') {
      // Hierarchical controls accumulate by OR (AArch64.S1ApplyTablePerms; TCR.HPD = 0).
      apTable |= (desc >> 61n) & 3n;
      pxnTable ||= (desc & TABLE_PXN) !== 0n;
      uxnTable ||= (desc & TABLE_UXN) !== 0n;
      table = desc & ADDR_MASK;
      // The fault is reported at the level of the table descriptor that held the bad address.
      if (table >> oa !== 0n)
        return fail('address-size', level, `next table beyond the ${oa}-bit output size`);
      continue;
    }
    const base = leafBase(desc, level);
    if (base >> oa !== 0n) return fail('address-size', level, `output address beyond ${oa} bits`);
    // The Access flag is checked in the walk, before permissions (AArch64.S1Walk).
    if ((desc & DESC_AF) === 0n && !cfg.hafdbs)
      return fail('access-flag', level, 'AF = 0 (software-managed)');
    const denied = permissionFault(desc, apTable, pxnTable, uxnTable, cfg, kind, el);
    if (denied !== null) return fail('permission', level, denied);
    let next = desc;
    if (cfg.hafdbs) {
      next |= DESC_AF;
      // A write to a DBM page marks it dirty by clearing AP[2] (AArch64.S1Translate).
      if (kind === 'write' && (desc & DESC_DBM) !== 0n) next &= ~DESC_AP2;
    }
    if (next !== desc) writeQword(frames, pfn, off, next);
    return { ok: true, pa: base | (v & ((1n << shift) - 1n)), level, desc: next };
  }
}

function invalidReason(desc: bigint, level: number): string {
  if ((desc & 1n) === 0n) return `invalid descriptor at level ${level}`;
  return level === 3 ? 'reserved encoding 0b01 at level 3' : 'block descriptor not allowed at level 0';
}

/**
 * Direct permissions (AArch64.S1DirectBasePermissions): leaf AP, then APTable, then execute-never
 * (EL1 may never execute what EL0 can write), PAN for EL1 data accesses, and WXN. Returns why the
 * access is denied, or null.
 */
function permissionFault(
  desc: bigint,
  apTable: bigint,
  pxnTable: boolean,
  uxnTable: boolean,
  cfg: ArmWalkConfig,
  kind: ArmAccessKind,
  el: 0 | 1,
): string | null {
  // With HA and HD, DBM makes the effective AP[2] 0: writes are allowed and mark the page dirty
  // (AArch64.S1ApplyOutputPerms), so the page also counts as writable for implicit PXN and WXN.
  const dbm = cfg.hafdbs && (desc & DESC_DBM) !== 0n;
  const ro = (desc & DESC_AP2) !== 0n && !dbm;
  const user = (desc & DESC_AP1) !== 0n;
  const noEl0 = (apTable & 1n) !== 0n;
  const noWrite = (apTable & 2n) !== 0n;
  const ur = user && !noEl0;
  const uw = ur && !ro && !noWrite;
  const pw = !ro && !noWrite;
  if (kind === 'fetch') {
    if (el === 0) {
      // EL0 execution needs only UXN clear: AP=00 with UXN=0 is execute-only memory.
      if ((desc & DESC_UXN) !== 0n) return 'UXN: not executable at EL0';
      if (uxnTable) return 'UXNTable: not executable at EL0 below this table';
      if (cfg.wxn && uw) return 'WXN: EL0-writable memory is execute-never';
      return null;
    }
    if ((desc & DESC_PXN) !== 0n) return 'PXN: not executable at EL1';
    if (pxnTable) return 'PXNTable: not executable at EL1 below this table';
    if (uw) return 'EL0-writable memory is never executable at EL1 (implicit PXN)';
    if (cfg.wxn && pw) return 'WXN: writable memory is execute-never';
    return null;
  }
  if (el === 0) {
    if (!user) return `AP=${apName(desc)}: no EL0 access`;
    if (noEl0) return 'APTable[0]: no EL0 access below this table';
    if (kind === 'write' && !uw)
      return noWrite ? 'APTable[1]: read-only below this table' : 'AP[2]: read-only';
    return null;
  }
  // PAN: an EL1 data access to memory EL0 can read or write faults (D8.4, FEAT_PAN).
  if (cfg.pan && ur) return 'PAN: EL1 data access to EL0-accessible memory';
  if (kind === 'write' && !pw) return noWrite ? 'APTable[1]: read-only below this table' : 'AP[2]: read-only';
  return null;
}

function apName(desc: bigint): string {
  return Number((desc >> 6n) & 3n)
    .toString(2)
    .padStart(2, '0');
}
