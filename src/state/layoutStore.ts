// The layout shown: the lesson's default until the user drags a splitter or collapses a panel;
// from then on the user's layout, for every lesson of the session, until "Reset layout".
//
// The user's layout is kept in sessionStorage, not localStorage: a reload in the lecture keeps it,
// but a new visit starts from each lesson's own default (a panel collapsed weeks ago should not
// hide what a later lesson is about).
import { create } from 'zustand';
import type { LayoutHint } from '../core/spec';
import {
  type Area,
  defaultLayout,
  type Layout,
  parseStoredLayout,
  type Room,
  resize,
  sameLayout,
  type Split,
  setCollapsed,
} from './layout';
import { useVm, type VmState } from './store';

export const LAYOUT_KEY = 'vmscope.layout';

export interface LayoutState {
  /** The current lesson's default. */
  lesson: Layout;
  /** The user's own layout, or null while the lesson's default is shown. */
  user: Layout | null;
}

export const useLayout = create<LayoutState>()(() => ({ lesson: defaultLayout(), user: null }));

/** The layout to draw. */
export const layoutOf = (s: LayoutState): Layout => s.user ?? s.lesson;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // blocked by a privacy setting: the layout lasts until the page closes
  }
}

function remember(user: Layout | null): void {
  try {
    if (user === null) storage()?.removeItem(LAYOUT_KEY);
    else storage()?.setItem(LAYOUT_KEY, JSON.stringify(user));
  } catch {
    // not remembered, still shown
  }
}

function setUser(next: Layout): void {
  const { lesson, user } = useLayout.getState();
  if (user !== null && sameLayout(user, next)) return;
  // Back at the lesson's default by hand: follow lessons again.
  const u = sameLayout(next, lesson) ? null : next;
  useLayout.setState({ user: u });
  remember(u);
}

/** Drags or keys a splitter to `value` (a fraction), clamped for the room the grid has. */
export function resizeSplit(split: Split, value: number, room: Room): void {
  setUser(resize(layoutOf(useLayout.getState()), split, value, room));
}

/** Puts one splitter back where the lesson has it (Enter or a double-click on it). */
export function resetSplit(split: Split, room: Room): void {
  const s = useLayout.getState();
  setUser(resize(layoutOf(s), split, s.lesson.sizes[split], room));
}

export function collapseArea(area: Area, collapsed: boolean): void {
  setUser(setCollapsed(layoutOf(useLayout.getState()), area, collapsed));
}

/** "Reset layout": the lesson's default again, and lessons lay themselves out again. */
export function resetLayout(): void {
  useLayout.setState({ user: null });
  remember(null);
}

/** The layout hint of the lesson shown, if any. */
export function lessonHintOf(s: Pick<VmState, 'scenarios' | 'scenarioId'>): LayoutHint | undefined {
  return s.scenarios.find((x) => x.id === s.scenarioId)?.layout;
}

let following: (() => void) | null = null;

/** Reads back the session's layout and applies each lesson's default as it loads. */
export function followLessonLayout(): () => void {
  if (following) return following;
  const stored = parseStoredLayout(storage()?.getItem(LAYOUT_KEY) ?? null);
  useLayout.setState({ lesson: defaultLayout(lessonHintOf(useVm.getState())), user: stored });
  const unsubscribe = useVm.subscribe((s, prev) => {
    if (s.scenarioId === prev.scenarioId && s.scenarios === prev.scenarios) return;
    const lesson = defaultLayout(lessonHintOf(s));
    if (!sameLayout(lesson, useLayout.getState().lesson)) useLayout.setState({ lesson });
  });
  following = () => {
    unsubscribe();
    following = null;
  };
  return following;
}
