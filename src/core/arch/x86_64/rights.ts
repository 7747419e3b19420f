// Access rights of an x86-64 translation (Intel SDM Vol. 3A 4.6) and the #PF error code (4.7).
// One function for both the walker and a TLB hit: a cached translation carries the combined
// U/S, R/W and XD of its walk, and the same rules decide whether this access may use it.
import type { AccessKind, X86Control } from './control';

/** #PF error-code bits (SDM 4.7; Linux arch/x86/include/asm/trap_pf.h). */
export const PF_PROT = 1 << 0;
export const PF_WRITE = 1 << 1;
export const PF_USER = 1 << 2;
export const PF_RSVD = 1 << 3;
export const PF_INSTR = 1 << 4;

/**
 * True when the access is not allowed. `us`, `rw` and `xd` are the rights combined over every
 * level of the walk (U/S and R/W by AND, XD by OR, SDM 4.6.1); `user` means CPL 3.
 */
export function accessDenied(
  us: boolean,
  rw: boolean,
  xd: boolean,
  kind: AccessKind,
  user: boolean,
  ctl: X86Control,
): boolean {
  if (user) {
    // User-mode accesses need a user-mode address; writes need R/W whatever CR0.WP says.
    if (!us) return true;
    if (kind === 'write' && !rw) return true;
    return kind === 'fetch' && xd;
  }
  if (kind === 'fetch') {
    // SMEP: the kernel never executes from a user-mode address (SDM 4.6.1).
    if (us && ctl.smep) return true;
    return xd;
  }
  // SMAP: explicit supervisor data accesses to user-mode addresses need EFLAGS.AC = 1.
  if (us && ctl.smap && !ctl.ac) return true;
  // CR0.WP = 0 lets the kernel write through read-only translations.
  return kind === 'write' && !rw && ctl.wp;
}

/** The error code of a #PF for this access; `base` holds P and RSVD (SDM 4.7). */
export function pfErrorCode(base: number, kind: AccessKind, user: boolean, ctl: X86Control): number {
  let e = base;
  if (kind === 'write') e |= PF_WRITE;
  if (user) e |= PF_USER;
  // I/D is reported for fetches only when SMEP or NXE is on (SDM 4.7, "I/D flag").
  if (kind === 'fetch' && (ctl.nxe || ctl.smep)) e |= PF_INSTR;
  return e;
}
