// The numbers the comparison table shows, in order, with the column groups over them, and the
// bar scale of one column (d3-scale: 0 to the column's largest value).
import { scaleLinear } from 'd3-scale';
import type { CompareRunView } from '../worker/compare';

export interface Metric {
  key: string;
  /** The column head, under its group. */
  short: string;
  /** What the number is, for the tooltip. */
  help: string;
  value: (r: CompareRunView) => number;
}

export const METRICS: readonly Metric[] = [
  { key: 'ipisSent', short: 'sent', help: 'IPIs sent', value: (r) => r.ipisSent },
  {
    key: 'ipisReceived',
    short: 'received',
    help: 'IPIs taken by a target’s handler',
    value: (r) => r.ipisReceived,
  },
  {
    key: 'singleInvalidations',
    short: 'one page',
    help: 'single-page invalidations (INVLPG, TLBI VAE1IS, SFENCE.VMA, INVLPGB)',
    value: (r) => r.singleInvalidations,
  },
  { key: 'fullFlushes', short: 'full', help: 'whole-TLB or whole-ASID flushes', value: (r) => r.fullFlushes },
  {
    key: 'waitCycles',
    short: 'waiting',
    help: 'cycles the initiating core waited for the others',
    value: (r) => r.waitCycles,
  },
  {
    key: 'handlerCycles',
    short: 'in handlers',
    help: 'cycles the other cores spent in the IPI handler',
    value: (r) => r.handlerCycles,
  },
  {
    key: 'totalCycles',
    short: 'whole run',
    help: 'cycles until the last thread finished',
    value: (r) => r.totalCycles,
  },
  { key: 'tlbHits', short: 'hits', help: 'TLB hits', value: (r) => r.tlbHits },
  { key: 'tlbMisses', short: 'misses', help: 'TLB misses', value: (r) => r.tlbMisses },
  { key: 'faults', short: 'faults', help: 'page faults', value: (r) => r.faults },
  {
    key: 'violations',
    short: 'violations',
    help: 'times the invariant monitor fired',
    value: (r) => r.violations,
  },
];

export const METRIC_GROUPS: readonly { label: string; span: number }[] = [
  { label: 'IPIs', span: 2 },
  { label: 'Invalidations', span: 2 },
  { label: 'Cycles', span: 3 },
  { label: 'TLB', span: 2 },
  { label: 'Page', span: 1 },
  { label: 'Invariant', span: 1 },
];

/** The bar length of a value in a column whose values are `values`, bars at most `width` long. */
export function compareBar(values: readonly number[], width: number): (v: number) => number {
  const max = Math.max(0, ...values);
  if (max === 0) return () => 0;
  return scaleLinear().domain([0, max]).range([0, width]).clamp(true);
}
