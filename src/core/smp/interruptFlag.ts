// A core's interrupt flag (RFLAGS.IF) as the model keeps it: off while the core runs the IPI
// handler (entry through an interrupt gate clears IF, SDM vol. 3 §6.8.1) and during
// switch_mm_irqs_off (arch/x86/mm/tlb.c); on otherwise. An IPI sent to a core with IF off waits in
// its inbox until IF is back on.
import type { Core } from '../machine';

export function interruptsEnabled(core: Core): boolean {
  const top = core.stack[core.stack.length - 1];
  return top?.fn !== 'ipi' && top?.fn !== 'switch';
}
