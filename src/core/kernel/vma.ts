import type { Proc, ProtBits, Vma } from '../machine';
import type { Prot } from '../spec';

export function findVma(proc: Proc, vpn: number): Vma | null {
  for (const v of proc.vmas) if (vpn >= v.startVpn && vpn < v.endVpn) return v;
  return null;
}

export function protBits(p: Prot): ProtBits {
  return { r: p !== 'none', w: p.includes('w'), x: p.includes('x') };
}

export function protString(p: ProtBits): string {
  return `${p.r ? 'r' : '-'}${p.w ? 'w' : '-'}${p.x ? 'x' : '-'}`;
}

/**
 * Removes [startVpn, endVpn) from the address space, splitting VMAs that straddle an edge
 * (like do_vmi_align_munmap, mm/vma.c). Returns the removed ranges.
 */
export function removeRange(proc: Proc, startVpn: number, endVpn: number): Vma[] {
  const kept: Vma[] = [];
  const removed: Vma[] = [];
  for (const v of proc.vmas) {
    if (v.endVpn <= startVpn || v.startVpn >= endVpn) {
      kept.push(v);
      continue;
    }
    if (v.startVpn < startVpn) kept.push({ ...v, endVpn: startVpn });
    if (v.endVpn > endVpn) kept.push({ ...v, startVpn: endVpn });
    removed.push({ ...v, startVpn: Math.max(v.startVpn, startVpn), endVpn: Math.min(v.endVpn, endVpn) });
  }
  proc.vmas = kept.sort((a, b) => a.startVpn - b.startVpn);
  return removed;
}
