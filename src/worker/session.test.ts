import { describe, expect, it } from 'vitest';
import {
  breakSet,
  breakpointHit,
  loadSession,
  runUntil,
  seekTo,
  snapshotOf,
  stepBy,
  stepWatching,
} from './session';

function load() {
  const r = loadSession('munmap-shootdown');
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

describe('worker session', () => {
  it('refuses an unknown scenario with a readable error', () => {
    expect(loadSession('nope')).toEqual({ ok: false, error: 'unknown scenario "nope"' });
  });

  it('knows the run length and key moments on load, and starts at step 0', () => {
    const s = load();
    const snap = snapshotOf(s);
    expect(snap.step).toBe(0);
    expect(snap.end).toBeGreaterThan(20);
    expect(snap.keyMoments.map((k) => k.label)).toContain('Shootdown begins');
    expect(snap.cores).toHaveLength(4);
  });

  it('runs until the next IPI, then back restores the previous snapshot exactly', () => {
    const s = load();
    runUntil(s, 'ipi');
    const atIpi = snapshotOf(s);
    expect(atIpi.events.some((e) => e.type === 'ipi.sent')).toBe(true);
    expect(atIpi.ipi.arrows.map((a) => a.to).sort()).toEqual([1, 2]);
    stepBy(s, -1);
    const before = snapshotOf(s);
    expect(before.step).toBe(atIpi.step - 1);
    expect(before.ipi.arrows).toHaveLength(0);
    stepBy(s, 1);
    expect(JSON.stringify(snapshotOf(s))).toBe(JSON.stringify(atIpi));
  });

  it('shows the TLB entries on cores 1 and 2 vanish with the shootdown and come back on seek', () => {
    const s = load();
    const has = (core: number) =>
      snapshotOf(s).tlbs[core]!.entries.some((e) => e.va === '0x7f0000001000' && e.pcid === 1);
    const begin = snapshotOf(s).keyMoments.find((k) => k.label === 'Shootdown begins')!.step;
    const end = snapshotOf(s).keyMoments.find((k) => k.label.startsWith('Last ack'))!.step;
    seekTo(s, begin);
    expect(has(1) && has(2)).toBe(true);
    seekTo(s, end);
    expect(has(1) || has(2)).toBe(false);
    seekTo(s, begin);
    expect(has(1) && has(2)).toBe(true);
  });

  it('marks each TLB entry against memory: flush pending during a shootdown, freed frame on a broken kernel', () => {
    const s = load();
    const at = (label: string) => snapshotOf(s).keyMoments.find((k) => k.label === label)!.step;
    const status = (core: number) =>
      snapshotOf(s).tlbs[core]!.entries.find((e) => e.va === '0x7f0000001000')?.status;
    expect(status(1)).toBeUndefined();
    seekTo(s, at('Core 2 caches the page'));
    expect(status(1)).toBe('ok');
    seekTo(s, at('Shootdown begins'));
    expect(status(1)).toBe('pending');
    expect(status(2)).toBe('pending');

    const r = loadSession('no-shootdown-bug');
    if (!r.ok) throw new Error(r.error);
    const b = r.session;
    seekTo(b, snapshotOf(b).keyMoments.find((k) => k.label === "T1 reads process 2's secret")!.step);
    expect(snapshotOf(b).tlbs[1]!.entries.find((e) => e.va === '0x7f0000001000')?.status).toBe('freed');
  });

  it('walk path of a step is exposed for highlighting', () => {
    const s = load();
    runUntil(s, 'fault');
    const snap = snapshotOf(s);
    expect(snap.walk?.levels.map((l) => l.level)).toEqual([4, 3, 2, 1]);
    expect(snap.walk?.va).toBe('0x7f0000001000');
    expect(snap.narration.some((n) => n.includes('#PF'))).toBe(true);
  });
});

describe('event marks, run to next, breakpoints', () => {
  it('marks the steps of faults and IPIs over the whole run, and each marked step has one', () => {
    const s = load();
    const marks = snapshotOf(s).eventMarks;
    expect(marks?.ipi.length).toBeGreaterThan(0);
    expect(marks?.violation).toEqual([]); // Linux's protocol: the monitor stays quiet
    for (const step of marks?.ipi ?? []) {
      seekTo(s, step);
      expect(snapshotOf(s).events.some((e) => e.type === 'ipi.sent')).toBe(true);
    }
  });

  it('runs to the next event of each kind', () => {
    const s = load();
    runUntil(s, 'shootdown');
    expect(snapshotOf(s).events.some((e) => e.type === 'shootdown.begin')).toBe(true);
    seekTo(s, 0);
    runUntil(s, 'tlb-miss');
    expect(snapshotOf(s).events.some((e) => e.type === 'tlb.miss')).toBe(true);
    seekTo(s, 0);
    runUntil(s, 'syscall');
    expect(snapshotOf(s).events.find((e) => e.type === 'syscall.enter')).toMatchObject({ name: 'munmap' });
  });

  it('stops playing after the step that touches a breakpoint address, naming it', () => {
    const s = load();
    const set = breakSet([{ kind: 'address', va: '0x7f0000001abc' }]);
    const hit = stepWatching(s, 10_000, set);
    expect(hit).toMatch(/^breakpoint on address 0x7f0000001abc: \S+ 0x7f0000001/);
    const step = snapshotOf(s).step;
    // No earlier step touched that page.
    seekTo(s, 0);
    expect(stepWatching(s, step - 1, set)).toBeNull();
    expect(snapshotOf(s).step).toBe(step - 1);
  });

  it('an event-kind breakpoint stops "run to next" early; a bad address is ignored', () => {
    const s = load();
    const hit = runUntil(s, 'end', breakSet([{ kind: 'event', on: 'ipi' }]));
    expect(hit).toBe('breakpoint on ipi.sent');
    expect(snapshotOf(s).done).toBe(false);
    const bad = breakSet([{ kind: 'address', va: 'nonsense' }]);
    expect(bad.pages.size).toBe(0);
    expect(breakpointHit(bad, snapshotOf(s).events)).toBeNull();
  });
});
