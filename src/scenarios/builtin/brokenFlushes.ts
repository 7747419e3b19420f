import type { KeyMoment, Protocol, ScenarioSpec } from '../../core/spec';
import { IN_BUFFER } from './parts';
import { munmapShootdown } from './munmapShootdown';

// Three more broken kernels on the munmap-shootdown workload, one mistake each, and the monitor
// rule each one trips (docs/lessons.md, "broken variants"):
//  - broken-no-local-flush: IPIs go out, but the initiator forgets its own TLB;
//  - broken-early-ack: the IPI handler acks first and invalidates afterwards;
//  - broken-no-wait: the initiator does not wait for the acks before freeing and returning.
function variant(
  id: string,
  title: string,
  protocol: Protocol,
  summary: string,
  keyMoments: KeyMoment[],
  t0Extra: ScenarioSpec['threads'][number]['program'] = [],
): ScenarioSpec {
  const threads = munmapShootdown.threads.map((t) =>
    t.tid === 0 ? { ...t, program: [...t.program.slice(0, 4), ...t0Extra, ...t.program.slice(4)] } : t,
  );
  return {
    ...munmapShootdown,
    id,
    title,
    summary,
    machine: { ...munmapShootdown.machine, protocol },
    threads,
    keyMoments,
  };
}

export const noLocalFlushBug = variant(
  'no-local-flush-bug',
  'Broken kernel: the initiator forgets its own TLB',
  'broken-no-local-flush',
  "The munmap of munmap-shootdown on a kernel that sends the IPIs but skips the local flush. Cores 1 and 2 drop the page; core 0, which wrote it just before, keeps its entry. When the frame is freed the monitor flags core 0's translation, and T0's next read goes straight through it to a frame that is no longer its own.",
  [
    { label: 'T0 skips its own flush', event: 'flush.skip', match: { core: 0 } },
    { label: 'Cores 1 and 2 invalidate', event: 'tlb.invalidate', match: { core: 2 } },
    {
      label: "Core 0's entry outlives the page",
      event: 'invariant.violated',
      match: { rule: 'stale-tlb', core: 0 },
    },
    {
      label: 'The frame is freed under it',
      event: 'invariant.violated',
      match: { rule: 'freed-frame', core: 0 },
    },
    { label: 'T0 reads the unmapped page, no fault', event: 'access.done', match: { core: 0, kind: 'read' } },
  ],
  [{ op: 'read', va: IN_BUFFER }],
);

export const earlyAckBug = variant(
  'early-ack-bug',
  'Broken kernel: the ack comes before the flush',
  'broken-early-ack',
  'The same munmap on a kernel whose IPI handler acknowledges as soon as it runs and only then invalidates. The initiator sees every ack, ends the shootdown and frees the frame while cores 1 and 2 still hold the page: the monitor flags each early ack, then the entries to the freed frame.',
  [
    {
      label: 'Core 1 acks before invalidating',
      event: 'invariant.violated',
      match: { rule: 'ack-before-invalidate', core: 1 },
    },
    {
      label: 'Core 2 acks before invalidating',
      event: 'invariant.violated',
      match: { rule: 'ack-before-invalidate', core: 2 },
    },
    { label: 'The shootdown ends too soon', event: 'shootdown.end' },
    { label: 'The frame is freed while cached', event: 'invariant.violated', match: { rule: 'freed-frame' } },
    { label: 'Core 1 invalidates, too late', event: 'tlb.invalidate', match: { core: 1 } },
  ],
);

export const noWaitBug = variant(
  'no-wait-bug',
  'Broken kernel: munmap does not wait for the acks',
  'broken-no-wait',
  "The same munmap on a kernel that sends the IPIs, flushes locally and goes on without waiting: the frame is freed and munmap returns while the IPIs are still in flight. The monitor flags the freed frame behind cores 1 and 2's entries and the early return; T1 then reads the unmapped page through its stale entry, with no fault, before its IPI even arrives.",
  [
    { label: 'T0 does not wait for the acks', event: 'flush.skip', match: { core: 0 } },
    {
      label: 'The frame is freed while cached',
      event: 'invariant.violated',
      match: { rule: 'freed-frame', core: 1 },
    },
    {
      label: 'munmap returns mid-shootdown',
      event: 'invariant.violated',
      match: { rule: 'unmap-returned-early' },
    },
    {
      label: 'T1 reads the unmapped page, no fault',
      event: 'access.done',
      match: { core: 1, kind: 'read', value: 42 },
    },
    { label: 'The IPI reaches core 1 only now', event: 'ipi.received', match: { core: 1 } },
  ],
);
