import type { Protocol, ScenarioSpec } from '../../core/spec';

// Lesson 15 (docs/lessons.md): adding rights needs no shootdown in principle: a core with a
// stale read-only entry takes at most one spurious fault and walks again (SDM 4.10.4.3). Linux
// x86 nevertheless flushes any change of R/W (pte_needs_flush), so it sends the IPI. Both kernels.
function upgrade(id: string, protocol: Protocol): ScenarioSpec {
  const lazy = protocol === 'lazy-upgrade';
  return {
    id,
    title: lazy
      ? 'Adding rights without a shootdown: one spurious fault instead of an IPI'
      : 'Adding rights on Linux x86: the IPI is sent anyway',
    summary: lazy
      ? "T1 on core 1 caches a read-only page. T0 makes it writable with mprotect; this kernel skips the shootdown because rights only grew. T1's write hits its stale read-only entry and takes one spurious fault: the handler sees the PTE already allows the write, the #PF has removed the stale entry, and the retry walks and succeeds. No IPI at all."
      : "The same mprotect on Linux x86: pte_needs_flush treats any change of R/W as needing a flush, so core 0 sends core 1 an IPI and waits, even though a stale read-only entry could at worst cause a spurious fault. T1's write then simply misses and walks.",
    // Which panels this lesson is about (src/state/layout.ts applies it).
    layout: { dock: 'ipi', emphasis: 'tlb' },
    seed: 1,
    machine: { cores: 2, frames: 128, tlb: { sets: 4, ways: 2 }, protocol },
    processes: [
      {
        pid: 1,
        name: 'app',
        vmas: [{ start: '0x7f0000000000', pages: 1, prot: 'r', name: 'table', populate: true }],
      },
    ],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'wait', flag: 'cached' },
          { op: 'mprotect', va: '0x7f0000000000', pages: 1, prot: 'rw' },
          { op: 'signal', flag: 'writable' },
        ],
      },
      {
        tid: 1,
        pid: 1,
        core: 1,
        program: [
          { op: 'read', va: '0x7f0000000010' },
          { op: 'signal', flag: 'cached' },
          { op: 'wait', flag: 'writable' },
          { op: 'write', va: '0x7f0000000010', value: 1 },
          { op: 'write', va: '0x7f0000000014', value: 2 },
        ],
      },
    ],
    keyMoments: lazy
      ? [
          { label: 'Core 1 caches the page read-only', event: 'tlb.fill', match: { core: 1 } },
          { label: 'mprotect makes the PTE writable', event: 'pte.write' },
          { label: 'No IPI: rights only grew', event: 'syscall.exit', match: { name: 'mprotect' } },
          { label: 'T1 writes through its stale entry: #PF', event: 'fault.raised', match: { core: 1 } },
          { label: 'A spurious fault', event: 'fault.resolved', match: { how: 'spurious' } },
          { label: 'The retry walks and caches RW', event: 'tlb.fill', match: { core: 1 } },
        ]
      : [
          { label: 'Core 1 caches the page read-only', event: 'tlb.fill', match: { core: 1 } },
          { label: 'mprotect makes the PTE writable', event: 'pte.write' },
          { label: 'Linux flushes anyway: IPI to core 1', event: 'ipi.sent', match: { to: 1 } },
          { label: 'Core 1 invalidates', event: 'tlb.invalidate', match: { core: 1 } },
          { label: "T1's write misses and walks", event: 'tlb.miss', match: { core: 1 } },
        ],
  };
}

export const upgradeNeedsNoIpi = upgrade('upgrade-needs-no-ipi', 'lazy-upgrade');
export const upgradeLinux = upgrade('upgrade-linux-ipi', 'linux-x86');
