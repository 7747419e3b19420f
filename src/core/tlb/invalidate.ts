// The architectures' TLB invalidation operations on one core's hierarchy (every array, L1 and L2),
// each returning how many entries it removed per level. Page-granular operations match an entry
// by the page the walk found, so every fragment of a splintered large page goes (SDM 4.10.4.1).
// With paging-structure caches (h.psc, machine.psc) each operation also drops the PSC entries the
// SDM says it does (4.10.4.1), counted apart in `psc`. Broadcast timing (DSB, IPIs) is elsewhere.
import type { TlbHierarchy } from './hierarchy';
import {
  type InvalScope,
  levelInvalidate,
  SCOPE_ALL,
  SCOPE_ASID_NONGLOBAL,
  SCOPE_ASID_OR_GLOBAL,
  SCOPE_NONGLOBAL,
} from './level';
import { pscInvalidateAddress, pscInvalidateAll, pscInvalidatePcid, type PscState } from './psc';

export interface InvalidationCount {
  total: number;
  l1i: number;
  l1d: number;
  /** A unified L1 (the teaching preset). */
  l1: number;
  l2: number;
  /** Per array, in the hierarchy's order. */
  byArray: number[];
  /** Paging-structure-cache entries removed (only when the core has them: not in `total`). */
  psc?: number;
}

/** Adds the PSC part of an operation to its count, when the hierarchy has paging-structure caches. */
function withPsc(h: TlbHierarchy, r: InvalidationCount, op: (psc: PscState) => number): InvalidationCount {
  if (h.psc) r.psc = op(h.psc);
  return r;
}

/** Applies one scope to every array; vpn < 0 means every address. */
export function invalidateScope(
  h: TlbHierarchy,
  vpn: number,
  asid: number,
  scope: InvalScope,
): InvalidationCount {
  const r: InvalidationCount = { total: 0, l1i: 0, l1d: 0, l1: 0, l2: 0, byArray: [] };
  for (const l of h.levels) {
    const n = levelInvalidate(l, vpn, asid, scope);
    r.byArray.push(n);
    r.total += n;
    r[l.role] += n;
  }
  return r;
}

function noneRemoved(h: TlbHierarchy): InvalidationCount {
  return { total: 0, l1i: 0, l1d: 0, l1: 0, l2: 0, byArray: h.levels.map(() => 0) };
}

// ---- x86-64 (Intel SDM Vol. 3A §4.10.4.1; domain-facts §1.7) ----

/**
 * INVLPG: the page's entries in the current PCID, and global entries for it in any PCID; and
 * every paging-structure-cache entry of the current PCID, whatever its address (SDM 4.10.4.1).
 */
export function invlpg(h: TlbHierarchy, vpn: number, currentPcid: number): InvalidationCount {
  return withPsc(h, invalidateScope(h, vpn, currentPcid, SCOPE_ASID_OR_GLOBAL), (p) =>
    pscInvalidatePcid(p, currentPcid),
  );
}

/**
 * What a #PF invalidates (SDM 4.10.4.1): the TLB entries for the page (as INVLPG), but only the
 * paging-structure-cache entries "that would be used for that linear address" in the current PCID.
 */
export function pageFaultInvalidate(h: TlbHierarchy, vpn: number, currentPcid: number): InvalidationCount {
  return withPsc(h, invalidateScope(h, vpn, currentPcid, SCOPE_ASID_OR_GLOBAL), (p) =>
    pscInvalidateAddress(p, vpn, currentPcid),
  );
}

export type InvpcidType = 0 | 1 | 2 | 3;

/**
 * INVPCID (SDM INVPCID reference): 0 individual address in `pcid`, globals excluded; 1 all of
 * `pcid` except globals; 2 everything including globals; 3 every PCID except globals.
 * `vpn` is used by type 0 only. Paging-structure caches (SDM 4.10.4.1 "invalidates mappings"):
 * type 0 the entries of `pcid` that would be used for the address, type 1 those of `pcid`,
 * types 2 and 3 all (they hold no global entries).
 */
export function invpcid(h: TlbHierarchy, type: InvpcidType, pcid: number, vpn: number): InvalidationCount {
  switch (type) {
    case 0:
      return withPsc(h, invalidateScope(h, vpn, pcid, SCOPE_ASID_NONGLOBAL), (p) =>
        pscInvalidateAddress(p, vpn, pcid),
      );
    case 1:
      return withPsc(h, invalidateScope(h, -1, pcid, SCOPE_ASID_NONGLOBAL), (p) =>
        pscInvalidatePcid(p, pcid),
      );
    case 2:
      return withPsc(h, invalidateScope(h, -1, 0, SCOPE_ALL), pscInvalidateAll);
    default:
      return withPsc(h, invalidateScope(h, -1, 0, SCOPE_NONGLOBAL), pscInvalidateAll);
  }
}

/**
 * MOV to CR3 loading `newPcid` (PCID 0 when CR4.PCIDE = 0). Bit 63 of the source set (`noFlush`,
 * only meaningful with PCIDE = 1): nothing is required to be invalidated; clear: the non-global
 * entries of the PCID being loaded, and all its paging-structure-cache entries (SDM §4.10.4.1,
 * domain-facts §1.2).
 */
export function movToCr3(h: TlbHierarchy, newPcid: number, noFlush: boolean): InvalidationCount {
  if (noFlush) return withPsc(h, noneRemoved(h), () => 0);
  return withPsc(h, invalidateScope(h, -1, newPcid, SCOPE_ASID_NONGLOBAL), (p) =>
    pscInvalidatePcid(p, newPcid),
  );
}

/** MOV to CR4 changing PGE (or clearing PCIDE): every entry, globals included, and every
 * paging-structure-cache entry of every PCID (SDM §4.10.4.1). */
export function cr4PgeToggle(h: TlbHierarchy): InvalidationCount {
  return withPsc(h, invalidateScope(h, -1, 0, SCOPE_ALL), pscInvalidateAll);
}

// ---- RISC-V (privileged spec, Supervisor-Level ISA, "Supervisor Memory-Management Fence") ----

/**
 * SFENCE.VMA rs1, rs2 with `null` standing for x0 (a register holding 0 is not x0):
 *  x0, x0     every entry, every address space;
 *  x0, asid   every entry of that ASID except global mappings;
 *  va, x0     entries for that address in every address space, globals included;
 *  va, asid   entries for that address in that ASID, except global mappings.
 */
export function sfenceVma(h: TlbHierarchy, vpn: number | null, asid: number | null): InvalidationCount {
  // The PSC is Intel's (the riscv-sbi protocol keeps x86 page tables): the address forms drop the
  // entries that would be used for the address, more than the spec requires of rs1 != x0.
  if (vpn === null) {
    return asid === null
      ? withPsc(h, invalidateScope(h, -1, 0, SCOPE_ALL), pscInvalidateAll)
      : withPsc(h, invalidateScope(h, -1, asid, SCOPE_ASID_NONGLOBAL), (p) => pscInvalidatePcid(p, asid));
  }
  return asid === null
    ? withPsc(h, invalidateScope(h, vpn, 0, SCOPE_ALL), (p) => pscInvalidateAddress(p, vpn, null))
    : withPsc(h, invalidateScope(h, vpn, asid, SCOPE_ASID_NONGLOBAL), (p) =>
        pscInvalidateAddress(p, vpn, asid),
      );
}

// ---- ARM64 (Arm ARM TLBI; AArch32 equivalents TLBIMVA/TLBIASID/TLBIMVAA, Arm ARM §G8.2) ----

/** TLBI VAE1: entries for the VA that match the ASID, and global entries for the VA whatever their ASID. */
export function tlbiVae1(h: TlbHierarchy, vpn: number, asid: number): InvalidationCount {
  // VAE1 also drops cached table walks for the VA (all levels; VALE1 only the last level).
  return withPsc(h, invalidateScope(h, vpn, asid, SCOPE_ASID_OR_GLOBAL), (p) =>
    pscInvalidateAddress(p, vpn, asid),
  );
}

/** TLBI VAAE1: entries for the VA in every ASID (globals included). */
export function tlbiVaae1(h: TlbHierarchy, vpn: number): InvalidationCount {
  return withPsc(h, invalidateScope(h, vpn, 0, SCOPE_ALL), (p) => pscInvalidateAddress(p, vpn, null));
}

/** TLBI ASIDE1: the non-global entries of the ASID. */
export function tlbiAside1(h: TlbHierarchy, asid: number): InvalidationCount {
  return withPsc(h, invalidateScope(h, -1, asid, SCOPE_ASID_NONGLOBAL), (p) => pscInvalidatePcid(p, asid));
}

/** TLBI VMALLE1: every stage-1 EL1&0 entry (this model has one VMID). */
export function tlbiVmalle1(h: TlbHierarchy): InvalidationCount {
  return withPsc(h, invalidateScope(h, -1, 0, SCOPE_ALL), pscInvalidateAll);
}

// Inner Shareable variants: the same operation on every core of the domain (the caller passes them).

export function tlbiVae1is(cores: readonly TlbHierarchy[], vpn: number, asid: number): InvalidationCount[] {
  return cores.map((h) => tlbiVae1(h, vpn, asid));
}

export function tlbiVaae1is(cores: readonly TlbHierarchy[], vpn: number): InvalidationCount[] {
  return cores.map((h) => tlbiVaae1(h, vpn));
}

export function tlbiAside1is(cores: readonly TlbHierarchy[], asid: number): InvalidationCount[] {
  return cores.map((h) => tlbiAside1(h, asid));
}

export function tlbiVmalle1is(cores: readonly TlbHierarchy[]): InvalidationCount[] {
  return cores.map((h) => tlbiVmalle1(h));
}
