import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Watchdog } from './watchdog';

const LIMITS = { timeoutMs: 100, loadTimeoutMs: 1_000 };

type Op = { kind: 'cmd' } | { kind: 'load' } | { kind: 'pong' } | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'cmd' }),
  fc.constant<Op>({ kind: 'load' }),
  fc.constant<Op>({ kind: 'pong' }),
  fc.integer({ min: 0, max: 2_000 }).map<Op>((ms) => ({ kind: 'wait', ms })),
);

/** Plays ops against a watchdog, logging what goes to the worker in order. */
function play(ops: readonly Op[]) {
  let t = 0;
  const posted: ({ ping: number } | 'cmd')[] = [];
  const dog = new Watchdog(
    (seq) => posted.push({ ping: seq }),
    () => t,
    LIMITS,
  );
  let lastPing = 0;
  for (const o of ops) {
    if (o.kind === 'cmd' || o.kind === 'load') {
      posted.push('cmd');
      dog.sent(o.kind === 'load');
    } else if (o.kind === 'pong') {
      const p = posted.filter((x) => x !== 'cmd').at(-1);
      if (p) dog.pong(p.ping);
    } else t += o.ms;
    const p = posted.filter((x) => x !== 'cmd').at(-1);
    if (p) lastPing = p.ping;
  }
  return { dog, posted, lastPing, now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Watchdog', () => {
  it('once every ping is answered, every command sent is followed by a ping', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { dog, posted } = play(ops);
        // Answer pings until none is out (a live worker).
        for (let i = 0; i < 3 && dog.waiting; i++) {
          const p = posted.filter((x) => x !== 'cmd').at(-1);
          if (p) dog.pong(p.ping);
        }
        expect(dog.waiting).toBe(false);
        const lastCmd = posted.lastIndexOf('cmd');
        const lastPing = posted.findLastIndex((x) => x !== 'cmd');
        if (lastCmd >= 0) expect(lastPing).toBeGreaterThan(lastCmd);
      }),
    );
  });

  it('is overdue exactly when the ping out has waited past its limit', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.boolean(), (ops, load) => {
        const { dog, advance } = play([...ops, { kind: 'pong' }, { kind: 'pong' }, { kind: 'pong' }]);
        expect(dog.overdue()).toBe(false);
        dog.sent(load);
        const limit = load ? LIMITS.loadTimeoutMs : LIMITS.timeoutMs;
        if (!dog.waiting) return; // the previous ping's answer is still out (covered by the next)
        advance(limit);
        expect(dog.overdue()).toBe(false);
        advance(1);
        expect(dog.overdue()).toBe(true);
      }),
    );
  });

  it('ignores a pong that answers no outstanding ping', () => {
    let t = 0;
    const pings: number[] = [];
    const dog = new Watchdog(
      (s) => pings.push(s),
      () => t,
      LIMITS,
    );
    dog.sent(false);
    dog.pong(99);
    t = 101;
    expect(dog.overdue()).toBe(true);
  });
});
