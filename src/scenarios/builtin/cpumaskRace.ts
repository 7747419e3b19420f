import type { Protocol, ScenarioSpec } from '../../core/spec';
import { appWithBuffer, BUFFER, IN_BUFFER } from './parts';

// Lesson 13 (docs/lessons.md): core 2 switches back into the mm while core 0 is in the middle of
// a munmap shootdown. Linux's switch_mm order (set the mm_cpumask bit, then read tlb_gen) and the
// initiator's (bump tlb_gen, then read the mask) guarantee that core 2 either gets the IPI or
// flushes on load. Reading tlb_gen first (the broken variant) lets a stale entry survive.
function race(id: string, protocol: Protocol): ScenarioSpec {
  const broken = protocol !== 'linux-x86';
  return {
    id,
    title: broken
      ? 'The cpumask race, lost: switch_mm reads tlb_gen too early'
      : 'The cpumask race: why switch_mm sets the mask bit before reading tlb_gen',
    summary: broken
      ? 'Core 2 switches back into process 1 just as core 0 unmaps a page it still caches. This broken switch_mm reads tlb_gen before announcing itself: core 0 bumps the generation and reads the mask in between, sees core 2 running another mm and sends no IPI; core 2 loads its stale entry believing it current, and T2 reads a freed frame.'
      : 'Core 2 switches back into process 1 just as core 0 unmaps a page it still caches. switch_mm first marks the core SWITCHING and sets its mm_cpumask bit, then reads tlb_gen; core 0 bumps tlb_gen, then reads the mask. Whatever the interleaving, core 2 either gets the IPI or sees the new generation and flushes on load (here, both).',
    // Which panels this lesson is about (src/state/layout.ts applies it).
    layout: { dock: 'ipi' },
    seed: 1,
    machine: { cores: 3, frames: 256, tlb: { sets: 4, ways: 2 }, protocol },
    processes: [
      appWithBuffer(),
      {
        pid: 2,
        name: 'other',
        vmas: [{ start: '0x400000', pages: 1, prot: 'rw', name: 'data', populate: true }],
      },
    ],
    threads: [
      {
        tid: 0,
        pid: 1,
        core: 0,
        program: [
          { op: 'wait', flag: 'cached' },
          { op: 'wait', flag: 'other-done' },
          { op: 'signal', flag: 'wake' },
          { op: 'munmap', va: BUFFER, pages: 1 },
        ],
      },
      {
        tid: 2,
        pid: 1,
        core: 2,
        program: [
          { op: 'read', va: IN_BUFFER },
          { op: 'signal', flag: 'cached' },
          { op: 'sleep', flag: 'wake' },
          { op: 'compute', cycles: 3000 },
          { op: 'read', va: IN_BUFFER },
        ],
      },
      {
        tid: 4,
        pid: 2,
        core: 2,
        program: [
          { op: 'read', va: '0x400000' },
          { op: 'signal', flag: 'other-done' },
        ],
      },
    ],
    keyMoments: broken
      ? [
          { label: 'Core 2 caches the page', event: 'tlb.fill', match: { core: 2 } },
          {
            label: 'Core 2 reads tlb_gen first (too early)',
            event: 'switch.gen',
            match: { core: 2, pid: 1 },
          },
          { label: 'Core 0 bumps tlb_gen, reads the mask: no IPI', event: 'shootdown.begin' },
          { label: 'Core 2 sets its bit too late', event: 'cpumask.set', match: { core: 2, pid: 1 } },
          { label: 'Stale entry in use', event: 'invariant.violated', match: { rule: 'stale-tlb' } },
          { label: 'T2 reads a freed frame', event: 'tlb.hit', match: { core: 2 } },
        ]
      : [
          { label: 'Core 2 caches the page', event: 'tlb.fill', match: { core: 2 } },
          { label: 'Core 2: SWITCHING, mask bit set', event: 'cpumask.set', match: { core: 2, pid: 1 } },
          { label: 'Core 0 bumps tlb_gen and sees core 2', event: 'shootdown.begin' },
          { label: 'Core 2 reads the new tlb_gen', event: 'switch.gen', match: { core: 2, behind: true } },
          { label: 'Core 2 flushes on load', event: 'tlb.invalidate', match: { core: 2, scope: 'asid' } },
          { label: 'The IPI finds nothing left to do', event: 'flush.skip', match: { core: 2 } },
          { label: 'T2 faults: the page is gone', event: 'fault.raised', match: { core: 2 } },
        ],
  };
}

export const cpumaskRace = race('cpumask-race', 'linux-x86');
export const cpumaskRaceBroken = race('cpumask-race-broken', 'broken-switch-order');
