// Where the shown run is, whichever kind it is: a scenario's snapshot or the OSTEP lesson's view.
// The transport controls, the keyboard and the permalink all read it from here.
import type { KeyMomentAt } from '../core/view/snapshot';
import { ARCH_LESSON, COMPARE_LESSON, IMAGE_LESSON, OSTEP_LESSON, POLICY_LESSON } from '../worker/protocol';
import type { Link } from './permalink';
import type { VmState } from './store';

export interface Position {
  /** A snapshot or view has arrived. */
  ready: boolean;
  step: number;
  end: number;
  done: boolean;
  keyMoments: readonly KeyMomentAt[];
}

/** Stable empty value: a selector must not return a fresh [] on every call. */
const NO_MOMENTS: readonly KeyMomentAt[] = [];

/** The OSTEP homework lesson is shown (or being loaded). */
export function isOstep(s: VmState): boolean {
  return s.scenarioId === OSTEP_LESSON;
}

/** The machine-image view is shown (or being loaded). */
export function isImage(s: VmState): boolean {
  return s.scenarioId === IMAGE_LESSON;
}

/** The page-replacement view is shown (or being loaded). */
export function isPolicy(s: VmState): boolean {
  return s.scenarioId === POLICY_LESSON;
}

/** The arch-compare view (lesson 3) is shown (or being loaded). */
export function isArch(s: VmState): boolean {
  return s.scenarioId === ARCH_LESSON;
}

/** The protocol comparison is shown (or being loaded). */
export function isCompare(s: VmState): boolean {
  return s.scenarioId === COMPARE_LESSON;
}

const NOT_READY: Position = { ready: false, step: 0, end: 0, done: false, keyMoments: NO_MOMENTS };

export function positionOf(s: VmState): Position {
  if (isArch(s)) {
    const v = s.arch;
    if (!v) return NOT_READY;
    return { ready: true, step: v.step, end: v.end, done: v.step >= v.end, keyMoments: v.keyMoments };
  }
  // A comparison has no steps: whole runs, step 0 of 0.
  if (isCompare(s))
    return s.compare ? { ready: true, step: 0, end: 0, done: true, keyMoments: NO_MOMENTS } : NOT_READY;
  if (isOstep(s) || isImage(s) || isPolicy(s)) {
    const v = isOstep(s) ? s.ostep : isImage(s) ? s.image : s.policy;
    if (!v) return NOT_READY;
    return { ready: true, step: v.step, end: v.end, done: v.step >= v.end, keyMoments: v.keyMoments };
  }
  const snap = s.snapshot;
  if (!snap) return NOT_READY;
  return {
    ready: true,
    step: snap.step,
    // While the worker is still learning a long run, the scrubber reaches as far as it has got.
    end: snap.end ?? Math.max(snap.step, snap.explored ?? 0),
    done: snap.done,
    keyMoments: snap.keyMoments,
  };
}

/** The permalink of what is shown, or null while nothing is. */
export function linkOf(s: VmState): Link | null {
  if (isArch(s)) {
    const v = s.arch;
    return v ? { arch: 'compare', ...v.input, step: v.step } : null;
  }
  if (isCompare(s)) {
    const v = s.compare;
    return v ? { compare: v.scenario.id, protocols: [...v.selected] } : null;
  }
  if (isOstep(s)) {
    const v = s.ostep;
    if (!v) return null;
    return { ostep: v.problem.builtin ?? 'pasted', step: v.step };
  }
  if (isImage(s)) {
    const v = s.image;
    return v ? { image: v.input.builtin ?? 'pasted', step: v.step } : null;
  }
  if (isPolicy(s)) {
    const v = s.policy;
    return v ? { policy: v.input.id, frames: v.input.frames, step: v.step } : null;
  }
  const snap = s.snapshot;
  return snap ? { scenarioId: snap.scenarioId, step: snap.step } : null;
}
