// The worker explores a long run in slices (between messages) rather than all at load: the result
// must not depend on how the work was cut. Same scenario, same seed: same bytes.
import { describe, expect, it } from 'vitest';
import { exploreMore, loadSession, seekTo, snapshotOf } from './session';

describe('exploring a run in slices', () => {
  it('in slices finds the same length, key moments and marks as in one go, and the same snapshots', () => {
    const whole = loadSession('stress-16');
    if (!whole.ok) throw new Error(whole.error);
    let slices = 0;
    const sliced = loadSession('stress-16', () => ++slices % 4 !== 0);
    if (!sliced.ok) throw new Error(sliced.error);
    expect(sliced.session.exploring).not.toBeNull();
    expect(snapshotOf(sliced.session).end).toBeNull();
    expect(snapshotOf(sliced.session).explored).toBeGreaterThan(0);
    while (!exploreMore(sliced.session, () => ++slices % 4 !== 0)) {}
    const end = whole.session.tl.end ?? -1;
    expect(sliced.session.tl.end).toBe(end);
    expect(sliced.session.keyMoments).toEqual(whole.session.keyMoments);
    expect(sliced.session.marks).toEqual(whole.session.marks);
    for (const target of [end, 4_000, 1]) {
      seekTo(whole.session, target);
      seekTo(sliced.session, target);
      expect(JSON.stringify(snapshotOf(sliced.session)) === JSON.stringify(snapshotOf(whole.session))).toBe(
        true,
      );
    }
  });
});
