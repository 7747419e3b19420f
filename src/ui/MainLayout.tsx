// The main view's panel grid: page table | TLBs | event log over the dock, with splitters between
// them and a collapse button on each. The sizes and what is collapsed come from the layout state
// (src/state/layout.ts, layoutStore.ts); this only draws them.
import { type ReactNode, useCallback, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  type Area,
  collapseArea,
  collapsedShape,
  fitToRoom,
  gridTracks,
  type Layout,
  layoutOf,
  resetLayout,
  type Room,
  type Split,
  splitActive,
  useLayout,
} from '../state';
import { Dock } from './Dock';
import { LogPanel } from './LogPanel';
import { PageTablePanel } from './PageTablePanel';
import { PanelBoundary as Guard } from './PanelBoundary';
import { Splitter } from './Splitter';
import { TlbPanel } from './TlbPanel';
import { useSize } from './useSize';

const NAME: Record<Area, string> = {
  pagetable: 'page table',
  tlb: 'TLBs',
  log: 'event log',
  dock: 'IPIs, cores, frames and stats',
};

const TITLE: Record<Area, string> = {
  pagetable: 'Page table',
  tlb: 'TLBs',
  log: 'Event log',
  dock: 'IPIs · Cores · Frames · Stats',
};

/** The grid's padding (layout.css .panels-main), taken off its box to get the room it lays out. */
const PAD = 6;

function CollapseButton({ area, expanded }: { area: Area; expanded: boolean }) {
  const verb = expanded ? 'Collapse' : 'Expand';
  return (
    <button
      type="button"
      className="area-toggle"
      data-testid={`${expanded ? 'collapse' : 'expand'}-${area}`}
      aria-expanded={expanded}
      aria-controls={`area-${area}`}
      aria-label={`${verb} the ${NAME[area]}`}
      title={`${verb} the ${NAME[area]}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => collapseArea(area, expanded)}
    >
      <span aria-hidden="true">{expanded ? '−' : '+'}</span>
    </button>
  );
}

function AreaBox({ area, layout, children }: { area: Area; layout: Layout; children: ReactNode }) {
  if (layout.collapsed.includes(area)) {
    const shape = collapsedShape(layout, area);
    return (
      <section
        id={`area-${area}`}
        className={`area area-${area} area-collapsed area-${shape}`}
        data-testid={`collapsed-${area}`}
        aria-label={`${TITLE[area]} (collapsed)`}
      >
        <CollapseButton area={area} expanded={false} />
        <h2 className="area-title">{TITLE[area]}</h2>
      </section>
    );
  }
  return (
    <div id={`area-${area}`} className={`area area-${area}`}>
      <CollapseButton area={area} expanded />
      {children}
    </div>
  );
}

export function MainLayout() {
  const chosen = useLayout(layoutOf);
  const grid = useRef<HTMLElement>(null);
  const box = useSize(grid, { width: 1264, height: 540 });
  const room: Room = { width: Math.max(0, box.width - 2 * PAD), height: Math.max(0, box.height - 2 * PAD) };
  const layout = fitToRoom(chosen, room);
  const tracks = gridTracks(layout);
  const getGrid = useCallback(() => grid.current, []);
  const active = (s: Split) => splitActive(layout, s);
  return (
    <main
      ref={grid}
      className="panels panels-main"
      data-testid="panels-main"
      style={{ gridTemplateColumns: tracks.columns, gridTemplateRows: tracks.rows }}
    >
      <AreaBox area="pagetable" layout={layout}>
        <Guard id="pagetable" title="Page table" className="panel-pt">
          <PageTablePanel />
        </Guard>
      </AreaBox>
      {active('pt') && <Splitter split="pt" layout={layout} room={room} grid={getGrid} />}
      <AreaBox area="tlb" layout={layout}>
        <Guard id="tlb" title="TLBs" className="panel-tlb">
          <TlbPanel />
        </Guard>
      </AreaBox>
      {active('tlb') && <Splitter split="tlb" layout={layout} room={room} grid={getGrid} />}
      <AreaBox area="log" layout={layout}>
        <Guard id="log" title="Event log" className="panel-log">
          <LogPanel />
        </Guard>
      </AreaBox>
      {active('top') && <Splitter split="top" layout={layout} room={room} grid={getGrid} />}
      <AreaBox area="dock" layout={layout}>
        <Guard id="dock" title="IPIs, cores, frames and statistics" className="panel-dock">
          <Dock />
        </Guard>
      </AreaBox>
    </main>
  );
}

/** The header's "Reset layout": back to the lesson's own layout (on only when it differs). */
export function ResetLayoutButton() {
  const changed = useLayout(useShallow((s) => s.user !== null));
  return (
    <button
      type="button"
      className="theme-toggle reset-layout"
      data-testid="reset-layout"
      disabled={!changed}
      title={
        changed ? "Back to this lesson's own layout of the panels" : "The panels are in this lesson's layout"
      }
      onClick={resetLayout}
    >
      Reset layout
    </button>
  );
}
