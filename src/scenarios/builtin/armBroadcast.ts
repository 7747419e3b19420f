import type { KeyMoment, ScenarioSpec } from '../../core/spec';
import { munmapShootdown } from './munmapShootdown';

// Lesson 17 (docs/lessons.md): the munmap of lesson 10 (munmap-shootdown) with another
// architecture's invalidation. ARM64 (arm-broadcast): DSB ISHST, TLBI VALE1IS, DSB ISH; no IPI,
// and the broadcast reaches core 3 too, which runs another process. RISC-V (riscv-sbi-fence):
// an ecall asks the SBI firmware to fence the harts of mm_cpumask, which it does with IPIs of its
// own that the kernel never sees. Core 3 spins in process 2 throughout, so it is running
// another mm when the flush happens. The page tables stay x86-64's in both.
function workload(
  id: string,
  protocol: 'arm-broadcast' | 'riscv-sbi',
  text: { title: string; summary: string },
  keyMoments: KeyMoment[],
): ScenarioSpec {
  // munmap-shootdown's threads, except that T0 also waits for core 3 to run process 2, and core 3
  // then stays in process 2 (waiting on `unmapped`) while the flush happens.
  const threads = munmapShootdown.threads.map((t) => {
    if (t.tid === 0)
      return {
        ...t,
        program: [...t.program.slice(0, 2), { op: 'wait', flag: 't3-read' } as const, ...t.program.slice(2)],
      };
    if (t.tid === 3) {
      return {
        ...t,
        program: [
          { op: 'read', va: '0x400000' } as const,
          { op: 'signal', flag: 't3-read' } as const,
          { op: 'wait', flag: 'unmapped' } as const,
          { op: 'read', va: '0x400000' } as const,
        ],
      };
    }
    return t;
  });
  return {
    ...munmapShootdown,
    id,
    ...text,
    machine: { ...munmapShootdown.machine, protocol },
    threads,
    keyMoments,
  };
}

export const armBroadcast: ScenarioSpec = workload(
  'arm-broadcast',
  'arm-broadcast',
  {
    title: 'munmap on ARM64: TLBI broadcast and DSB, no IPI',
    summary:
      "Lesson munmap-shootdown with ARM64's mechanism. T1 and T2 cache a page; core 3 runs another process. T0 unmaps the page: it clears the PTE, DSB ISHST makes the store visible to every page walker, one TLBI VALE1IS carries the invalidation over the interconnect to every core's TLB, core 3's included, with no IPI and no code running there; T0 stalls in DSB ISH until every core has completed it, and only then is the frame freed. The page tables stay x86-64's: only the invalidation mechanism changes.",
  },
  [
    { label: 'Core 1 caches the page', event: 'tlb.fill', match: { core: 1 } },
    { label: 'Core 2 caches the page', event: 'tlb.fill', match: { core: 2 } },
    { label: 'T0 clears the PTE', event: 'pte.write', match: { pid: 1 } },
    { label: 'DSB ISHST: the cleared PTE is visible', event: 'dsb', match: { domain: 'ishst' } },
    { label: 'TLBI VALE1IS broadcast: no IPI', event: 'tlbi', match: { op: 'VALE1IS' } },
    { label: "Core 1's TLB drops the page", event: 'tlbi.remote', match: { core: 1 } },
    { label: "Core 2's TLB drops the page", event: 'tlbi.remote', match: { core: 2 } },
    { label: 'Core 3 (another process) gets it too', event: 'tlbi.remote', match: { core: 3, mmPid: 2 } },
    { label: 'DSB ISH completes: T0 stops waiting', event: 'dsb', match: { domain: 'ish' } },
    { label: 'Frame freed', event: 'frame.free' },
    { label: 'T1 reads again and faults', event: 'fault.raised', match: { core: 1 } },
    { label: 'SIGSEGV', event: 'signal' },
  ],
);

export const riscvSbiFence: ScenarioSpec = workload(
  'riscv-sbi-fence',
  'riscv-sbi',
  {
    title: 'munmap on RISC-V: the SBI remote fence, IPIs under the hood',
    summary:
      "Lesson munmap-shootdown with RISC-V's mechanism. T1 and T2 cache a page; core 3 runs another process. T0 unmaps the page: the kernel makes one ecall into the M-mode firmware (sbi_remote_sfence_vma_asid for the harts in mm_cpumask), the firmware fences core 0 and sends its own IPIs to cores 1 and 2; each is interrupted in M-mode, runs SFENCE.VMA and signals, without its kernel ever seeing an interrupt; core 3 is not in the mask and is left alone. The ecall returns when both are done, and only then is the frame freed. The page tables stay x86-64's.",
  },
  [
    { label: 'Core 1 caches the page', event: 'tlb.fill', match: { core: 1 } },
    { label: 'Core 2 caches the page', event: 'tlb.fill', match: { core: 2 } },
    { label: 'T0 clears the PTE', event: 'pte.write', match: { pid: 1 } },
    { label: 'ecall: the kernel asks the firmware', event: 'sbi.ecall' },
    { label: 'Firmware IPI to core 1', event: 'ipi.sent', match: { to: 1 } },
    { label: 'Firmware IPI to core 2', event: 'ipi.sent', match: { to: 2 } },
    { label: 'Core 1 fences in M-mode', event: 'sbi.rfence', match: { core: 1 } },
    { label: 'Core 2 fences in M-mode', event: 'sbi.rfence', match: { core: 2 } },
    { label: 'The ecall returns', event: 'sbi.return' },
    { label: 'Frame freed', event: 'frame.free' },
    { label: 'T1 reads again and faults', event: 'fault.raised', match: { core: 1 } },
    { label: 'SIGSEGV', event: 'signal' },
  ],
);
