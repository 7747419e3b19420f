// Small pure helpers for the panels: names, entry decoding for display, event summaries.
import type { SimEvent } from '../core/events';

export const LEVEL_NAMES: Readonly<Record<number, string>> = {
  5: 'PML5',
  4: 'PML4',
  3: 'PDPT',
  2: 'PD',
  1: 'PT',
};

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `L${level}`;
}

/** Decodes a raw entry ("0x8000000000007067") for display: present bit, target frame, flags. */
export function decodeEntry(raw: string): { present: boolean; pfn: number; flags: string } {
  let v: bigint;
  try {
    v = BigInt(raw);
  } catch {
    return { present: false, pfn: 0, flags: '-' };
  }
  const bit = (n: number) => ((v >> BigInt(n)) & 1n) === 1n;
  const parts: string[] = [];
  if (bit(0)) parts.push('P');
  if (bit(1)) parts.push('RW');
  if (bit(2)) parts.push('US');
  if (bit(5)) parts.push('A');
  if (bit(6)) parts.push('D');
  if (bit(7)) parts.push('PS');
  if (bit(8)) parts.push('G');
  if (bit(63)) parts.push('NX');
  const pfn = Number((v >> 12n) & ((1n << 40n) - 1n));
  return { present: bit(0), pfn, flags: parts.length ? parts.join(' ') : '-' };
}

export type EventCategory = 'tlb' | 'walk' | 'ipi' | 'fault' | 'violation' | 'pte' | 'sched' | 'other';

export function categoryOf(type: SimEvent['type']): EventCategory {
  if (type === 'invariant.violated') return 'violation';
  if (type.startsWith('tlb.') || type === 'flush.skip') return 'tlb';
  if (type === 'walk.level') return 'walk';
  if (type.startsWith('ipi.') || type.startsWith('shootdown.') || type.startsWith('cpumask.')) return 'ipi';
  if (type.startsWith('fault.') || type === 'signal' || type === 'stack.overflow') return 'fault';
  if (type.startsWith('stack.') || type.startsWith('mm.')) return 'pte';
  if (type === 'pte.write' || type.startsWith('vma.') || type.startsWith('frame.')) return 'pte';
  if (
    type === 'context.switch' ||
    type.startsWith('switch.') ||
    type.startsWith('thread.') ||
    type.startsWith('lazy.') ||
    type.startsWith('mmap_lock.') ||
    type.startsWith('sync.')
  ) {
    return 'sched';
  }
  return 'other';
}

function show(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map((x) => (typeof x === 'object' && x !== null ? Object.values(x).join(':') : String(x))).join(', ')}]`;
  }
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** The event's own fields as `key=value` pairs (not type, step or tick). */
export function eventFields(e: SimEvent): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(e)) {
    if (k === 'type' || k === 'step' || k === 'tick' || v === undefined) continue;
    out.push([k, show(v)]);
  }
  return out;
}

/** The core an event is about, if it names one. */
export function eventCore(e: SimEvent): number | null {
  if ('core' in e && typeof e.core === 'number') return e.core;
  if (e.type === 'ipi.sent') return e.from;
  if (e.type === 'ipi.acked') return e.from;
  return null;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
