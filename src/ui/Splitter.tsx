// A splitter between two panel areas (WAI-ARIA window splitter): drag it with a mouse, pen or
// finger; or focus it and use the arrow keys (PageUp / PageDown for big steps), Home and End for
// the limits, Enter (or a double-click) to put it back where the lesson has it. Its value is the
// share of the first area (the left one, or the top one) in percent.
import type { KeyboardEvent, PointerEvent } from 'react';
import { type Layout, limitsOf, type Room, resetSplit, resizeSplit, SPLITTER_PX, type Split } from '../state';

const LABEL: Record<Split, string> = {
  pt: 'Resize the page table against the panels on its right',
  tlb: 'Resize the TLBs against the event log',
  top: 'Resize the TLBs and the log against the panel below',
};

/** The area each splitter sizes (aria-controls). */
const CONTROLS: Record<Split, string> = { pt: 'area-pagetable', tlb: 'area-tlb', top: 'area-tlb' };

const STEP = 0.02;
const BIG_STEP = 0.1;

interface Props {
  split: Split;
  layout: Layout;
  room: Room;
  /** The grid the splitter sits in; the pointer's place is measured against its areas. */
  grid: () => HTMLElement | null;
}

/** The pixel range a split divides: from the first area's start to the last area's end. */
function span(split: Split, grid: HTMLElement): { start: number; length: number } | null {
  const rect = (id: string) => grid.querySelector<HTMLElement>(`#${id}`)?.getBoundingClientRect();
  const first = rect(split === 'pt' ? 'area-pagetable' : 'area-tlb');
  const last = rect(split === 'top' ? 'area-dock' : 'area-log');
  if (!first || !last) return null;
  if (split === 'top') return { start: first.top, length: last.bottom - first.top };
  const end = last.right;
  return { start: first.left, length: end - first.left };
}

export function Splitter({ split, layout, room, grid }: Props) {
  const value = layout.sizes[split];
  const { min, max } = limitsOf(split, layout.sizes, room);
  const vertical = split !== 'top';

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const less = vertical ? 'ArrowLeft' : 'ArrowUp';
    const more = vertical ? 'ArrowRight' : 'ArrowDown';
    let next: number | null = null;
    if (e.key === less) next = value - STEP;
    else if (e.key === more) next = value + STEP;
    else if (e.key === 'PageUp') next = value - BIG_STEP;
    else if (e.key === 'PageDown') next = value + BIG_STEP;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    else if (e.key === 'Enter') {
      e.preventDefault();
      resetSplit(split, room);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    resizeSplit(split, next, room);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const g = grid();
    if (!g) return;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    el.classList.add('splitter-dragging');
    // The splitters' tracks: one for the top split and the TLB split, two for the page-table split.
    const tracks = split === 'pt' ? 2 : 1;
    // The track between the areas (the element itself reaches into them to be a bigger target).
    const track = SPLITTER_PX;
    const move = (ev: globalThis.PointerEvent) => {
      const s = span(split, g);
      if (!s || s.length <= 0) return;
      const at = (vertical ? ev.clientX : ev.clientY) - s.start - track / 2;
      resizeSplit(split, at / (s.length - tracks * track), room);
    };
    const up = () => {
      el.classList.remove('splitter-dragging');
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    e.preventDefault();
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable window splitter is role="separator" (WAI-ARIA APG); <hr> cannot take focus or keys
    <div
      role="separator"
      tabIndex={0}
      className={`splitter splitter-${split} ${vertical ? 'splitter-v' : 'splitter-h'}`}
      data-testid={`splitter-${split}`}
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={LABEL[split]}
      aria-controls={CONTROLS[split]}
      aria-valuenow={Math.round(value * 100)}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      title="Drag, or use the arrow keys; Enter or a double-click puts it back"
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onDoubleClick={() => resetSplit(split, room)}
    />
  );
}
