// Which cores a shootdown interrupts, per protocol. `targets` get an IPI; `skipped` are the cores
// in mm_cpumask left alone, with the reason shown to the student.
import type { Core, Machine, Proc } from '../../machine';

export interface TargetChoice {
  targets: number[];
  skipped: { core: number; why: string }[];
}

export function chooseTargets(m: Machine, self: Core, proc: Proc, freedTables: boolean): TargetChoice {
  const targets: number[] = [];
  const skipped: { core: number; why: string }[] = [];
  const others = m.cores.filter((c) => c.id !== self.id);
  switch (m.spec.machine.protocol) {
    case 'broken-no-shootdown':
      for (const c of others)
        if (proc.cpumask[c.id]) skipped.push({ core: c.id, why: 'BUG: this kernel sends no IPI' });
      return { targets, skipped };
    case 'amd-invlpgb':
      // No IPI at all: INVLPGB broadcasts the invalidation to every TLB in hardware.
      for (const c of others)
        if (proc.cpumask[c.id]) skipped.push({ core: c.id, why: 'INVLPGB reaches it without an interrupt' });
      return { targets, skipped };
    case 'counter':
      // Seed 000's kernel: interrupt every core that is running anything, and the idle ones
      // still registered to this address space; no mm_cpumask, no generations.
      for (const c of others) {
        if (c.tid >= 0 || c.stack.length > 0 || c.runq.length > 0 || c.mmPid === proc.pid) targets.push(c.id);
      }
      return { targets, skipped };
    case 'arm-broadcast':
      // No IPI: the TLBIs reach every core's TLB in hardware (armBroadcast.ts), not only the mask's.
      return { targets, skipped };
    case 'riscv-sbi':
      // __flush_tlb_range (arch/riscv/mm/tlbflush.c) hands the whole mm_cpumask to the firmware:
      // no lazy or loaded-mm filter (should_flush_tlb is x86's), the firmware fences every hart.
      for (const c of others) if (proc.cpumask[c.id]) targets.push(c.id);
      return { targets, skipped };
    case 'linux-x86':
    case 'broken-free-before-ack':
    case 'broken-no-local-flush':
    case 'broken-switch-order':
    case 'broken-early-ack':
    case 'broken-no-wait':
    case 'lazy-upgrade':
      for (const c of others) {
        if (!proc.cpumask[c.id]) continue;
        // should_flush_tlb() (arch/x86/mm/tlb.c): a core mid-switch is flushed ("Assume the
        // worst"); a lazy core is skipped unless page tables are freed (its paging-structure
        // caches could walk a freed table); a core whose loaded mm is another one is skipped.
        if (c.switching) targets.push(c.id);
        else if (c.lazy && c.mmPid === proc.pid && !freedTables)
          skipped.push({ core: c.id, why: 'lazy TLB mode' });
        else if (c.mmPid !== proc.pid) skipped.push({ core: c.id, why: 'runs another mm' });
        else targets.push(c.id);
      }
      return { targets, skipped };
    case 'broken-lazy-tables':
      // BUG: should_flush_tlb's lazy test, without the freed_tables exception: a lazy core keeps
      // its mm in CR3, and its paging-structure caches keep pointing at the freed table.
      for (const c of others) {
        if (!proc.cpumask[c.id]) continue;
        if (c.switching) targets.push(c.id);
        else if (c.lazy && c.mmPid === proc.pid)
          skipped.push({
            core: c.id,
            why: freedTables
              ? 'lazy TLB mode; BUG: page tables are freed and its paging-structure caches may point into them'
              : 'lazy TLB mode',
          });
        else if (c.mmPid !== proc.pid) skipped.push({ core: c.id, why: 'runs another mm' });
        else targets.push(c.id);
      }
      return { targets, skipped };
    default: {
      const never: never = m.spec.machine.protocol;
      throw new Error(`internal: unknown protocol ${String(never)}`);
    }
  }
}
