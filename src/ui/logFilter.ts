// The run-wide event log's filter and row order, pure so they can be tested without a page.
// A filter is a kind (all, a category, or one event type) and a text: whitespace-separated terms
// that must all match. `key=value` matches a field exactly (`core=1` also matches the core an IPI
// is sent from or to; a hex value also matches addresses that start with it); any other term
// matches anywhere in the row's text ("0x7f00", "ipi", "munmap").
import type { SimEvent } from '../core/events';
import { categoryOf, type EventCategory, eventCore, eventFields } from './format';

/** `all`, `cat:<category>` or `type:<event type>`. */
export type KindFilter = 'all' | `cat:${EventCategory}` | `type:${string}`;

export interface LogFilter {
  kind: KindFilter;
  text: string;
}

export const NO_FILTER: LogFilter = { kind: 'all', text: '' };

/** The categories a person can pick, in the order offered, with their names. */
export const CATEGORY_NAMES: readonly [EventCategory, string][] = [
  ['tlb', 'TLB'],
  ['walk', 'page walks'],
  ['ipi', 'IPIs and shootdowns'],
  ['fault', 'faults and signals'],
  ['pte', 'page tables and VMAs'],
  ['sched', 'scheduling'],
  ['violation', 'invariant violations'],
  ['other', 'other'],
];

/** Filter texts longer than this are cut (it is typed into a box, but stay bounded). */
export const MAX_FILTER_CHARS = 200;

/** The row's text as shown: the type and its key=value fields. */
export function rowText(e: SimEvent): string {
  return [e.type, ...eventFields(e).map(([k, v]) => `${k}=${v}`)].join(' ');
}

function termMatches(e: SimEvent, fields: [string, string][], text: string, term: string): boolean {
  const eq = term.indexOf('=');
  if (eq > 0) {
    const key = term.slice(0, eq);
    const want = term.slice(eq + 1);
    if (want === '') return fields.some(([k]) => k.toLowerCase() === key);
    const same = (v: string) => {
      const lv = v.toLowerCase();
      return lv === want || (want.startsWith('0x') && lv.startsWith(want));
    };
    if (fields.some(([k, v]) => k.toLowerCase() === key && same(v))) return true;
    if (key === 'core') {
      const c = eventCore(e);
      if (c !== null && same(String(c))) return true;
      if (e.type.startsWith('ipi.') && 'to' in e && same(String(e.to))) return true;
    }
    return false;
  }
  return text.includes(term);
}

/** Whether an event passes the filter. */
export function matchesFilter(e: SimEvent, f: LogFilter): boolean {
  if (f.kind !== 'all') {
    if (f.kind.startsWith('cat:')) {
      if (`cat:${categoryOf(e.type)}` !== f.kind) return false;
    } else if (`type:${e.type}` !== f.kind) return false;
  }
  const terms = f.text.slice(0, MAX_FILTER_CHARS).toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const fields = eventFields(e);
  const text = rowText(e).toLowerCase();
  return terms.every((t) => termMatches(e, fields, text, t));
}

/**
 * The events of `events` (in step order) that pass the filter, newest step first and in their
 * own order within a step: the log reads back in time from the current step.
 */
export function newestStepFirst(events: readonly SimEvent[], f: LogFilter): SimEvent[] {
  const out: SimEvent[] = [];
  let end = events.length;
  while (end > 0) {
    const step = (events[end - 1] as SimEvent).step;
    let start = end - 1;
    while (start > 0 && (events[start - 1] as SimEvent).step === step) start--;
    for (let i = start; i < end; i++) {
      const e = events[i] as SimEvent;
      if (matchesFilter(e, f)) out.push(e);
    }
    end = start;
  }
  return out;
}

/** The event types present, sorted: the "one kind" choices for these events. */
export function typesIn(events: readonly SimEvent[]): string[] {
  return [...new Set(events.map((e) => e.type))].sort();
}

/** Which rows of a list of `count` rows of `rowH` px to render for a scroll position (with slack). */
export function visibleRows(
  scrollTop: number,
  viewH: number,
  rowH: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowH) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewH) / rowH) + overscan);
  return { start: Math.min(start, end), end };
}
