// The `repeat` op: a loop in a thread's program. A scenario says "go back N ops, K more times";
// the built program keeps the target index, and the thread counts the jumps it has left.
import type { Op, Thread } from '../machine';
import type { OpSpec } from '../spec';

type RepeatSpec = Extract<OpSpec, { op: 'repeat' }>;
type RepeatOp = Extract<Op, { op: 'repeat' }>;

/**
 * The built op for spec op `j`: `startOf[k]` is where spec op k starts in the built program
 * (a `recurse` expands to several ops). An error string when `back` leaves the program.
 */
export function buildRepeat(o: RepeatSpec, j: number, startOf: readonly number[]): RepeatOp | string {
  if (!Number.isInteger(o.back) || o.back < 1 || o.back > j)
    return `repeat: back must be 1-${j} (the ops before it), not ${o.back}`;
  if (!Number.isInteger(o.times) || o.times < 0) return `repeat: times must be 0 or more, not ${o.times}`;
  return { op: 'repeat', to: startOf[j - o.back] ?? 0, times: o.times };
}

/**
 * Takes the repeat op at the thread's pc: jumps back while jumps are left, else moves past it and
 * forgets its count (so an enclosing loop that comes round again starts it afresh).
 */
export function takeRepeat(th: Thread, op: RepeatOp): void {
  const left = th.repeats?.[th.pc] ?? op.times;
  if (left > 0) {
    th.repeats ??= {};
    th.repeats[th.pc] = left - 1;
    th.pc = op.to;
  } else {
    if (th.repeats) delete th.repeats[th.pc];
    th.pc++;
  }
}
