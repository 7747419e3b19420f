import { useEffect } from 'react';
import {
  isArch,
  isCompare,
  isImage,
  isOstep,
  isPolicy,
  jumpKeyMoment,
  seekEdge,
  stepBack,
  stepForward,
  togglePlay,
  useVm,
} from '../state';
import { ArchComparePanel } from './ArchComparePanel';
import { Controls } from './Controls';
import { ComparePanel } from './ComparePanel';
import { Banner, Header } from './Header';
import { ImageLog, ImagePanel } from './ImagePanel';
import { MainLayout } from './MainLayout';
import { OstepLog } from './OstepLog';
import { OstepPanel } from './OstepPanel';
import { PanelBoundary as Guard } from './PanelBoundary';
import { PolicyLog, PolicyPanel } from './PolicyPanel';

/**
 * Right = step, Left = back, Shift+Right / Shift+Left = next / previous key moment, Home / End =
 * first / last step, Space = play/pause; not while typing or choosing in a form control, nor in a
 * tab list (its arrows, Home and End move between the tabs), nor on a panel splitter (they move it).
 */
function onKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  if (!useVm.getState().shortcuts) return;
  // The protocol comparison has nothing to step.
  if (isCompare(useVm.getState())) return;
  const t = e.target instanceof HTMLElement ? e.target : null;
  if (t?.closest('[role="tablist"]')) return;
  // A focused splitter moves with the arrows, Home and End.
  if (t?.closest('[role="separator"]')) return;
  const tag = t?.tagName ?? '';
  const isRange = tag === 'INPUT' && (t as HTMLInputElement).type === 'range';
  if (tag === 'SELECT' || tag === 'TEXTAREA' || t?.isContentEditable || (tag === 'INPUT' && !isRange)) return;
  if (e.key === 'ArrowRight' && !isRange) {
    e.preventDefault();
    if (e.shiftKey) jumpKeyMoment(1);
    else stepForward();
  } else if (e.key === 'ArrowLeft' && !isRange) {
    e.preventDefault();
    if (e.shiftKey) jumpKeyMoment(-1);
    else stepBack();
  } else if ((e.key === 'Home' || e.key === 'End') && !isRange) {
    e.preventDefault();
    seekEdge(e.key === 'Home' ? 'start' : 'end');
  } else if (e.key === ' ' || e.code === 'Space') {
    // A focused button keeps its own Space (keyboard users activating it).
    if (tag === 'BUTTON') return;
    e.preventDefault();
    if (!e.repeat) togglePlay();
  }
}

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const ostep = useVm(isOstep);
  const image = useVm(isImage);
  const policy = useVm(isPolicy);
  const arch = useVm(isArch);
  const compare = useVm(isCompare);
  // While playing, the highlights skip their fades (app-playing in styles.css).
  const playing = useVm((s) => s.playing);
  return (
    <div className={playing ? 'app app-playing' : 'app'}>
      <Header />
      <Banner />
      {!compare && <Controls />}
      {compare ? (
        <main className="panels panels-compare">
          <ComparePanel />
        </main>
      ) : arch ? (
        <main className="panels panels-arch">
          <ArchComparePanel />
        </main>
      ) : ostep ? (
        <main className="panels panels-ostep">
          <Guard id="ostep" title="OSTEP homework" className="panel-ostep">
            <OstepPanel />
          </Guard>
          <Guard id="log" title="Walk log" className="panel-log">
            <OstepLog />
          </Guard>
        </main>
      ) : image ? (
        <main className="panels panels-ostep">
          <Guard id="image" title="Machine image" className="panel-ostep">
            <ImagePanel />
          </Guard>
          <Guard id="log" title="Access log" className="panel-log">
            <ImageLog />
          </Guard>
        </main>
      ) : policy ? (
        <main className="panels panels-policy">
          <Guard id="policy" title="Page replacement" className="panel-policy">
            <PolicyPanel />
          </Guard>
          <Guard id="log" title="Replacement log" className="panel-log pol-log">
            <PolicyLog />
          </Guard>
        </main>
      ) : (
        <MainLayout />
      )}
    </div>
  );
}
