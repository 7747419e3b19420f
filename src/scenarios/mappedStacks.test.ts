// Lesson mapped-stacks (seed 003): the guard page stops the overflow; without it the neighbour's
// stack is silently overwritten; the stack a thread died on is unmapped later by another thread.
import { describe, expect, it } from 'vitest';
import { createTimeline, forward } from '../core/engine/timeline';
import type { SimEvent } from '../core/events';
import { findScenario } from './index';

function run(id: string) {
  const spec = findScenario(id);
  if (!spec) throw new Error(id);
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  return { ev: r.timeline.log.flatMap((s) => s ?? []), m: r.timeline.m };
}

const at = (ev: SimEvent[], p: (e: SimEvent) => boolean) => ev.findIndex(p);

describe('mapped-stacks', () => {
  it("T1's push into the guard page faults and stops T1 alone: no write lands below its stack", () => {
    const { ev } = run('mapped-stacks');
    const overflow = ev.find((e) => e.type === 'stack.overflow');
    expect(overflow).toMatchObject({
      tid: 1,
      owner: 1,
      guard: 'below',
      va: '0x7f0000004e00',
      start: '0x7f0000005000',
    });
    // 16 pushes fill the two-page stack; the 17th faulted, and none after it ran.
    const t1Writes = ev.filter((e) => e.type === 'access.done' && e.tid === 1);
    expect(t1Writes).toHaveLength(16);
    expect(ev.some((e) => e.type === 'signal')).toBe(false);
    expect(ev.find((e) => e.type === 'thread.exit' && e.tid === 1)).toMatchObject({
      reason: expect.stringContaining('stack overflow'),
    });
    // T2 runs on and finds its local intact.
    expect(ev.find((e) => e.type === 'value.check')).toMatchObject({ tid: 2, ok: true, value: 42 });
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('the stack T1 died on stays mapped until T0 unmaps it, frames freed after the flush', () => {
    const { ev } = run('mapped-stacks');
    const deferred = at(ev, (e) => e.type === 'stack.unmap.deferred' && e.tid === 1);
    const unmap = at(ev, (e) => e.type === 'stack.unmap' && e.tid === 1);
    expect(deferred).toBeGreaterThanOrEqual(0);
    expect(unmap).toBeGreaterThan(deferred);
    expect(ev[unmap]).toMatchObject({ by: 0, start: '0x7f0000004000', end: '0x7f0000008000', guards: true });
    expect(ev.slice(deferred, unmap).some((e) => e.type === 'vma.unmap' || e.type === 'frame.free')).toBe(
      false,
    );
    // T0 runs the munmap, on its own core, and T1's two stack frames go only after the acks.
    const call = ev[unmap + 1];
    expect(call).toMatchObject({ type: 'syscall.enter', name: 'munmap', tid: 0, core: 0 });
    const end = at(ev, (e) => e.type === 'shootdown.end');
    const frees = ev.flatMap((e, i) => (e.type === 'frame.free' && i > unmap ? [i] : []));
    expect(frees.length).toBeGreaterThanOrEqual(2);
    expect(frees.every((i) => i > end)).toBe(true);
  });

  it('at the end every frame of the process is free: the last exit tore the mm down', () => {
    const { m, ev } = run('mapped-stacks');
    expect([...m.mem.used.values()].some((f) => f.pid === 1)).toBe(false);
    expect(ev.filter((e) => e.type === 'stack.unmap').map((e) => e.type === 'stack.unmap' && e.tid)).toEqual([
      1, 2,
    ]);
  });
});

describe('mapped-stacks-no-guard', () => {
  it("T1's pushes run into T2's stack without a fault, and T2 reads back T1's return address", () => {
    const { ev } = run('mapped-stacks-no-guard');
    expect(ev.some((e) => e.type === 'stack.overflow' || e.type === 'signal')).toBe(false);
    const t1Writes = ev.filter((e) => e.type === 'access.done' && e.tid === 1);
    expect(t1Writes).toHaveLength(20);
    // The 17th push and T2's local are the same physical word.
    const local = ev.find((e) => e.type === 'access.done' && e.tid === 2 && e.kind === 'write');
    const clobber = t1Writes[16];
    expect(clobber?.type === 'access.done' && local?.type === 'access.done' && clobber.pa === local.pa).toBe(
      true,
    );
    const check = ev.find((e) => e.type === 'value.check');
    expect(check).toMatchObject({ tid: 2, ok: false, expected: 42, value: 0xca110011 });
  });
});
