// The one store: created once at module level, outside React. Panels subscribe with selectors
// (useVm(s => s.x), useShallow for derived objects and arrays); every change goes through the
// actions in actions.ts, which talk to the worker client.
import { create } from 'zustand';
import type { Snapshot } from '../core/view/snapshot';
import type { ScenarioInfo } from '../scenarios/index';
import type { Breakpoint } from '../worker/protocol';
import type { ArchView } from '../worker/archCompare';
import type { CompareView } from '../worker/compare';
import type { ImageView } from '../worker/image';
import type { OstepView } from '../worker/ostep';
import type { PolicyView } from '../worker/policy';

/** The tabs of the panel area shared by the IPI lanes, cores, frames and statistics. */
export type DockTab = 'ipi' | 'cores' | 'frames' | 'stats';

export const DOCK_TABS: readonly DockTab[] = ['ipi', 'cores', 'frames', 'stats'];

export interface VmState {
  /** The latest snapshot shown (at most one update per animation frame). */
  snapshot: Snapshot | null;
  playing: boolean;
  /** Steps per second, one of SPEEDS. */
  speed: number;
  scenarios: ScenarioInfo[];
  /** The scenario being loaded or shown. */
  scenarioId: string | null;
  /** A readable message for the banner, or null. */
  banner: string | null;
  /** The process the page-table panel shows; null follows the action. */
  ptPid: number | null;
  /** The tab chosen in the shared panel area; null: the scenario's default (IPIs with several cores, else frames). */
  dockTab: DockTab | null;
  /**
   * The OSTEP homework lesson's latest view; shown while scenarioId is OSTEP_LESSON (the lesson
   * is a mode of its own: it has no machine snapshot).
   */
  ostep: OstepView | null;
  /** The machine-image view's latest state; shown while scenarioId is IMAGE_LESSON. */
  image: ImageView | null;
  /** The page-replacement view's latest state; shown while scenarioId is POLICY_LESSON. */
  policy: PolicyView | null;
  /**
   * Keyboard shortcuts (arrows, Space, Home/End) on or off: WCAG 2.1.4 asks that single-key
   * shortcuts can be turned off, for speech-input and switch users.
   */
  shortcuts: boolean;
  /** Where playing and "run to next" stop: event kinds and addresses. */
  breakpoints: Breakpoint[];
  /** What stopped playing at the shown step, when a breakpoint did. */
  breakpointHit: string | null;
  /** The arch-compare view's latest state; shown while scenarioId is ARCH_LESSON. */
  arch: ArchView | null;
  /** The protocol comparison's latest view; shown while scenarioId is COMPARE_LESSON. */
  compare: CompareView | null;
}

export const DEFAULT_SPEED = 2;

export const initialState: VmState = {
  snapshot: null,
  playing: false,
  speed: DEFAULT_SPEED,
  scenarios: [],
  scenarioId: null,
  banner: null,
  ptPid: null,
  dockTab: null,
  ostep: null,
  image: null,
  policy: null,
  shortcuts: true,
  breakpoints: [],
  breakpointHit: null,
  arch: null,
  compare: null,
};

export const useVm = create<VmState>()(() => ({ ...initialState }));
