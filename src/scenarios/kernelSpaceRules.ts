// Checks on the kernel-address-space options and operations that one field alone cannot express:
// which need the kernel half, what KPTI and the recursive slot allow, and where vmalloc may map.
// Each failure names the field, as the other schema errors do.
import { inModuleArea } from '../core/kernel/kernelSpace';
import type { ScenarioSpec } from '../core/spec';

/** The first rule a validated scenario breaks, as "field: message", or null. */
export function kernelSpaceError(spec: ScenarioSpec): string | null {
  const mc = spec.machine;
  if (mc.kpti && !mc.kernelHalf)
    return 'machine.kpti: needs machine.kernelHalf (KPTI isolates the kernel half)';
  if (mc.kpti && mc.protocol !== 'linux-x86')
    return `machine.kpti: modelled with the linux-x86 protocol only, not ${mc.protocol}`;
  if (mc.recursiveSlot !== undefined && !mc.kernelHalf)
    return 'machine.recursiveSlot: needs machine.kernelHalf (the slot is set up with the kernel half)';
  for (const [i, t] of spec.threads.entries()) {
    for (const [j, o] of t.program.entries()) {
      const at = `threads.${i}.program.${j}`;
      switch (o.op) {
        case 'kread':
          if ((o.va === undefined) === (o.entryOf === undefined))
            return `${at}: kread takes either va or entryOf (with level), not both or neither`;
          if (o.entryOf !== undefined && mc.recursiveSlot === undefined)
            return `${at}.entryOf: reading a paging entry by address needs machine.recursiveSlot`;
          if (o.level !== undefined && o.entryOf === undefined) return `${at}.level: only with entryOf`;
          break;
        case 'vmalloc':
        case 'vunmap': {
          if (!mc.kernelHalf) return `${at}: ${o.op} needs machine.kernelHalf`;
          if (mc.kpti) return `${at}: ${o.op} is not modelled with machine.kpti`;
          const va = BigInt(o.va);
          if ((va & 0xfffn) !== 0n || !inModuleArea(va, o.pages))
            return `${at}.va: ${o.op} maps in the module area, 0xffffffffa0000000 to 0xffffffffff000000, page-aligned`;
          break;
        }
        default:
          break;
      }
    }
  }
  return null;
}
