// Design `pin`: the syscall's references keep the frames alive, and munmap waits for them.
import { describe, expect, it } from 'vitest';
import { copyFromUserPin } from './copyFromUserVsMunmap';
import { step } from '../../core/engine/step';
import type { SimEvent } from '../../core/events';
import { createMachine } from '../../core/kernel/build';
import { uaOf } from '../../core/kernel/uaccess';

function runPinned() {
  const r = createMachine(copyFromUserPin);
  if (!r.ok) throw new Error(r.error);
  const m = r.machine;
  const ev: SimEvent[] = [];
  let maxPinned = 0;
  while (!m.done) {
    for (const e of step(m)) ev.push(e);
    const pins = m.ua?.pins ?? [];
    maxPinned = Math.max(maxPinned, pins.length);
    // A pinned frame is never free, whatever munmap is doing.
    for (const p of pins) expect(m.mem.used.get(p.pfn)?.refcount ?? 0).toBeGreaterThanOrEqual(1);
  }
  return { m, ev, maxPinned };
}

describe('pinned pages (copy-from-user-vs-munmap-pin)', () => {
  it('munmap waits for the pins; the frames are freed only after the syscall unpinned them', () => {
    const { m, ev, maxPinned } = runPinned();
    expect(maxPinned).toBe(8);
    const idx = (pred: (e: SimEvent) => boolean) => ev.findIndex(pred);
    const pinnedPfns = ev.flatMap((e) => (e.type === 'uaccess.pin' ? [e.pfn] : []));
    expect(pinnedPfns).toHaveLength(8);
    // Each pin took a second reference (the mapping holds the first).
    expect(
      ev.filter((e) => e.type === 'uaccess.pin').every((e) => e.type === 'uaccess.pin' && e.refcount === 2),
    ).toBe(true);
    const wait = idx((e) => e.type === 'munmap.wait');
    const writeExit = idx((e) => e.type === 'syscall.exit' && e.name === 'write');
    const unpin = idx((e) => e.type === 'uaccess.unpin');
    const resume = idx((e) => e.type === 'munmap.resume');
    const munmapExit = idx((e) => e.type === 'syscall.exit' && e.name === 'munmap');
    const frees = ev.flatMap((e, i) => (e.type === 'frame.free' && pinnedPfns.includes(e.pfn) ? [i] : []));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThan(unpin);
    expect(unpin).toBeLessThan(resume);
    // The VMA goes only after the wait, and the copy saw every page.
    expect(idx((e) => e.type === 'vma.unmap')).toBeGreaterThan(resume);
    expect(ev[writeExit]).toMatchObject({ ret: 32768 });
    expect(munmapExit).toBeGreaterThan(writeExit);
    // The four unmapped pages' frames are freed, each after the unpin and the flush.
    expect(frees).toHaveLength(4);
    const flushEnd = idx((e) => e.type === 'shootdown.end');
    for (const i of frees) expect(i).toBeGreaterThan(Math.max(unpin, flushEnd));
    expect(uaOf(m).pins).toEqual([]);
    expect(ev.some((e) => e.type === 'fault.resolved' && e.how === 'fixup')).toBe(false);
  });
});
