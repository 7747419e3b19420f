// Zooming the IPI lanes in time: the shown window of cycles [t0, t1] within the run's [0, end],
// pure helpers for it, and where it is kept (so it survives steps and tab changes, until the user
// fits or opens another scenario). d3-zoom's transform is derived from the window, never the
// other way round, so the window stays put in cycles as the run (and the full extent) grows.
import { create } from 'zustand';

export type Domain = readonly [number, number];

/** The narrowest window, in cycles: a few events stay apart. */
export const MIN_SPAN = 10;
/** What one press of + or − does. */
export const ZOOM_STEP = 2;

/** A window moved and resized to lie within `full` and be at least MIN_SPAN wide. */
export function clampDomain(d: Domain, full: Domain, minSpan = MIN_SPAN): [number, number] {
  const fullSpan = full[1] - full[0];
  const span = Math.min(fullSpan, Math.max(minSpan, d[1] - d[0]));
  const t0 = Math.min(full[1] - span, Math.max(full[0], d[0]));
  return [t0, t0 + span];
}

/** Zooms in (factor > 1) or out (< 1) about `center` (a cycle), which keeps its place on screen. */
export function zoomAround(d: Domain, factor: number, center: number, full: Domain): [number, number] {
  const span = (d[1] - d[0]) / factor;
  const f = d[1] > d[0] ? (center - d[0]) / (d[1] - d[0]) : 0.5;
  return clampDomain([center - f * span, center - f * span + span], full);
}

/** Whether a window is the whole extent (nothing to fit). */
export function isFull(d: Domain, full: Domain): boolean {
  return d[0] <= full[0] && d[1] >= full[1];
}

/**
 * The d3-zoom transform (scale k, x translation) under which the base scale (`full` onto
 * [r0, r1]) shows `d` on the same range: rescaleX maps r0 back to d[0] and r1 to d[1].
 */
export function transformFor(d: Domain, full: Domain, r0: number, r1: number): { k: number; x: number } {
  const k = (full[1] - full[0]) / Math.max(1e-9, d[1] - d[0]);
  const base = (t: number) => r0 + ((t - full[0]) / (full[1] - full[0])) * (r1 - r0);
  return { k, x: r0 - k * base(d[0]) };
}

/** The window a d3-zoom transform shows, the inverse of transformFor. */
export function domainOf(
  t: { k: number; x: number },
  full: Domain,
  r0: number,
  r1: number,
): [number, number] {
  const inv = (px: number) => full[0] + ((px - r0) / (r1 - r0)) * (full[1] - full[0]);
  return [inv((r0 - t.x) / t.k), inv((r1 - t.x) / t.k)];
}

interface ZoomState {
  scenarioId: string | null;
  /** The window shown; null: the whole run so far (fit). */
  view: Domain | null;
}

export const useIpiZoom = create<ZoomState>()(() => ({ scenarioId: null, view: null }));

export function setIpiView(scenarioId: string, view: Domain | null): void {
  useIpiZoom.setState({ scenarioId, view });
}
