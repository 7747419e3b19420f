// The shared panel area under the TLBs: one of IPIs, Cores, Frames or Stats at a time, chosen
// with WAI-ARIA tabs (arrow keys, Home and End move between them; the app's single-key shortcuts
// stay out of the tab list). The section and the tab list stay mounted when the tab changes, so
// keyboard focus stays on the tabs; only the legend and the body change.
import { type KeyboardEvent, type MouseEvent, useRef } from 'react';
import { DOCK_TABS, type DockTab, dockTabOf, showDockTab, useVm } from '../state';
import { CoresBody, CoresHead } from './CoresPanel';
import { FramesBody, FramesHead } from './FramesPanel';
import { IpiLanes, IpiLegend } from './IpiPanel';
import { StatsBody, StatsHead } from './StatsPanel';
import { tabId, tabPanelId, tabPanelProps } from './tabs';

const LABEL: Record<DockTab, string> = { ipi: 'IPIs', cores: 'Cores', frames: 'Frames', stats: 'Stats' };
const TITLE: Record<DockTab, string> = {
  ipi: 'IPIs between cores',
  cores: 'Cores and threads',
  frames: 'Physical frames',
  stats: 'Statistics',
};

/** A mouse click chooses a tab without taking the focus, so Right / Left keep stepping. */
const keepFocus = (e: MouseEvent) => e.preventDefault();

function DockTabs({ current }: { current: DockTab }) {
  const refs = useRef<Partial<Record<DockTab, HTMLButtonElement | null>>>({});
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const i = DOCK_TABS.indexOf(current);
    const n = DOCK_TABS.length;
    const next =
      e.key === 'ArrowRight'
        ? DOCK_TABS[(i + 1) % n]
        : e.key === 'ArrowLeft'
          ? DOCK_TABS[(i + n - 1) % n]
          : e.key === 'Home'
            ? DOCK_TABS[0]
            : e.key === 'End'
              ? DOCK_TABS[n - 1]
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    showDockTab(next);
    refs.current[next]?.focus();
  };
  return (
    <div className="dock-tabs" role="tablist" aria-label="Panel shown here" data-testid="dock-tabs">
      {DOCK_TABS.map((t) => (
        <button
          key={t}
          ref={(el) => {
            refs.current[t] = el;
          }}
          type="button"
          role="tab"
          id={tabId(t)}
          className={t === current ? 'dock-tab dock-tab-on' : 'dock-tab'}
          aria-selected={t === current}
          aria-controls={t === current ? tabPanelId(t) : undefined}
          tabIndex={t === current ? 0 : -1}
          title={TITLE[t]}
          data-testid={`tab-${t}`}
          onMouseDown={keepFocus}
          onClick={() => showDockTab(t)}
          onKeyDown={onKeyDown}
        >
          {LABEL[t]}
        </button>
      ))}
    </div>
  );
}

export function Dock() {
  const tab = useVm(dockTabOf);
  const panel = tabPanelProps(tab);
  return (
    <section className={`panel panel-dock dock-${tab}`} data-testid={`panel-${tab}`} aria-label={TITLE[tab]}>
      <h2 className="sr-only">{TITLE[tab]}</h2>
      <div className="panel-head dock-head">
        <DockTabs current={tab} />
        {tab === 'ipi' ? (
          <IpiLegend />
        ) : tab === 'cores' ? (
          <CoresHead />
        ) : tab === 'frames' ? (
          <FramesHead />
        ) : (
          <StatsHead />
        )}
      </div>
      {tab === 'ipi' ? (
        <IpiLanes tabpanel={panel} />
      ) : tab === 'cores' ? (
        <CoresBody tabpanel={panel} />
      ) : tab === 'frames' ? (
        <FramesBody tabpanel={panel} />
      ) : (
        <StatsBody tabpanel={panel} />
      )}
    </section>
  );
}
