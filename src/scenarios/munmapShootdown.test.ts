// Lesson 10 replays to its key moments, in the order the lesson promises.
import { describe, expect, it } from 'vitest';
import { createMachine } from '../core/kernel/build';
import { runToEnd } from '../core/engine/step';
import type { SimEvent } from '../core/events';
import { munmapShootdown } from './builtin/munmapShootdown';
import { validateScenario } from './schema';
import { locateKeyMoments } from '../core/view/keyMoments';

function run(): SimEvent[] {
  const r = createMachine(munmapShootdown);
  if (!r.ok) throw new Error(r.error);
  return runToEnd(r.machine);
}

const first = (ev: SimEvent[], p: (e: SimEvent) => boolean) => ev.findIndex(p);

describe('munmap-shootdown', () => {
  const ev = run();

  it('passes its own schema', () => {
    expect(validateScenario(munmapShootdown).ok).toBe(true);
  });

  it('walks and fills the TLBs of cores 1 and 2', () => {
    for (const core of [1, 2]) {
      expect(ev.filter((e) => e.type === 'walk.level' && e.core === core).length).toBeGreaterThanOrEqual(4);
      expect(ev.some((e) => e.type === 'tlb.fill' && e.core === core && e.va === '0x7f0000001000')).toBe(
        true,
      );
    }
  });

  it('clears the PTE, bumps tlb_gen, then IPIs cores 1 and 2 and no other core', () => {
    const cleared = first(ev, (e) => e.type === 'pte.write' && e.new === '0x0000000000000000');
    const gen = first(ev, (e) => e.type === 'tlb.gen');
    const begin = first(ev, (e) => e.type === 'shootdown.begin');
    expect(cleared).toBeGreaterThan(0);
    expect(gen).toBeGreaterThan(cleared);
    expect(begin).toBeGreaterThan(gen);
    const sent = ev.filter((e) => e.type === 'ipi.sent');
    expect(sent.map((e) => (e.type === 'ipi.sent' ? [e.from, e.to] : [])).sort()).toEqual([
      [0, 1],
      [0, 2],
    ]);
    // Core 3 is never interrupted and never invalidates anything.
    expect(ev.some((e) => (e.type === 'ipi.received' || e.type === 'tlb.invalidate') && e.core === 3)).toBe(
      false,
    );
  });

  it('shows each remote invalidation and ack, the initiator waiting, and frees the frame after the last ack', () => {
    const lastAck = Math.max(...ev.flatMap((e, i) => (e.type === 'ipi.acked' ? [i] : [])));
    for (const core of [1, 2]) {
      const recv = first(ev, (e) => e.type === 'ipi.received' && e.core === core);
      const inv = first(ev, (e) => e.type === 'tlb.invalidate' && e.core === core && e.scope === 'page');
      const ack = first(ev, (e) => e.type === 'ipi.acked' && e.from === core);
      expect(recv).toBeGreaterThan(0);
      expect(inv).toBeGreaterThan(recv);
      expect(ack).toBeGreaterThan(inv);
    }
    const wait = first(ev, (e) => e.type === 'shootdown.wait');
    const end = ev.find((e) => e.type === 'shootdown.end');
    expect(wait).toBeLessThan(lastAck);
    expect(end?.type === 'shootdown.end' && end.waited).toBeGreaterThan(0);
    const free = first(ev, (e) => e.type === 'frame.free');
    expect(free).toBeGreaterThan(lastAck);
    // The initiator flushed locally before waiting (concurrently with the remote flushes).
    const local = first(ev, (e) => e.type === 'tlb.invalidate' && e.core === 0);
    expect(local).toBeLessThan(wait);
  });

  it('ends with T1 faulting on the unmapped address and getting SIGSEGV (SEGV_MAPERR)', () => {
    const free = first(ev, (e) => e.type === 'frame.free');
    const fault = first(ev, (e) => e.type === 'fault.raised' && e.core === 1);
    expect(fault).toBeGreaterThan(free);
    const sig = ev.find((e) => e.type === 'signal');
    expect(sig).toMatchObject({ tid: 1, signal: 'SIGSEGV', code: 'SEGV_MAPERR' });
    expect(ev.some((e) => e.type === 'invariant.violated')).toBe(false);
  });

  it('finds every declared key moment', () => {
    const r = createMachine(munmapShootdown);
    if (!r.ok) throw new Error(r.error);
    const m = r.machine;
    const log: SimEvent[][] = [];
    while (!m.done) {
      const before = m.step;
      const events = runStep(m);
      if (m.step !== before) log.push(events);
    }
    const found = locateKeyMoments(munmapShootdown.keyMoments, log);
    expect(found.map((k) => k.label)).toEqual(munmapShootdown.keyMoments.map((k) => k.label));
  });
});

import { step as runStep } from '../core/engine/step';
