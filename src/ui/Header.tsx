// Title, the scenario's title and summary, the scenario picker and the banner. The picker also
// offers the OSTEP homework lesson and the machine-image view, modes of their own rather than
// scenarios.
import type { ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  ARCH_LESSON,
  COMPARE_LESSON,
  DEFAULT_COMPARE_SCENARIO,
  dismissBanner,
  isArch,
  isCompare,
  IMAGE_LESSON,
  isImage,
  isOstep,
  isPolicy,
  loadScenario,
  openCompareView,
  OSTEP_LESSON,
  POLICY_LESSON,
  setShortcuts,
  useVm,
} from '../state';
import { ThemeToggle } from './ThemeToggle';
import { ResetLayoutButton } from './MainLayout';

const OSTEP_OPTION = 'OSTEP homework: two-level page table';
const IMAGE_OPTION = 'Machine image: translate its accesses';
const POLICY_OPTION = 'Page replacement: FIFO, LRU, OPT, Clock';
const ARCH_OPTION = 'One program on four MMUs (arch-compare)';
const COMPARE_OPTION = 'Compare shootdown protocols side by side';
const MODES: readonly string[] = [OSTEP_LESSON, IMAGE_LESSON, POLICY_LESSON, ARCH_LESSON, COMPARE_LESSON];

export function Header() {
  const { scenarios, scenarioId, title, summary } = useVm(
    useShallow((s) => ({
      scenarios: s.scenarios,
      scenarioId: s.scenarioId,
      title: isArch(s)
        ? (s.arch?.title ?? ARCH_OPTION)
        : isCompare(s)
          ? (s.compare?.title ?? COMPARE_OPTION)
          : isOstep(s)
            ? (s.ostep?.title ?? OSTEP_OPTION)
            : isImage(s)
              ? (s.image?.title ?? IMAGE_OPTION)
              : isPolicy(s)
                ? (s.policy?.title ?? POLICY_OPTION)
                : (s.snapshot?.title ?? ''),
      summary: isArch(s)
        ? (s.arch?.summary ?? '')
        : isCompare(s)
          ? (s.compare?.summary ?? '')
          : isOstep(s)
            ? (s.ostep?.summary ?? '')
            : isImage(s)
              ? (s.image?.summary ?? '')
              : isPolicy(s)
                ? (s.policy?.summary ?? '')
                : (s.snapshot?.summary ?? ''),
    })),
  );
  const onPick = (e: ChangeEvent<HTMLSelectElement>) => {
    loadScenario(e.currentTarget.value, 0);
    e.currentTarget.blur();
  };
  return (
    <header className="header">
      <h1 className="logo">vmscope</h1>
      <div className="scenario" data-testid="scenario-info">
        <div className="scenario-title" data-testid="scenario-title" title={title}>
          {title || 'Loading…'}
        </div>
        <div className="scenario-summary" title={summary}>
          {summary}
        </div>
      </div>
      <label className="picker">
        <span>Scenario</span>
        <select data-testid="scenario-picker" value={scenarioId ?? ''} onChange={onPick}>
          {scenarios.length === 0 && scenarioId && !MODES.includes(scenarioId) && (
            <option value={scenarioId}>{scenarioId}</option>
          )}
          {scenarios
            .filter((s) => !MODES.includes(s.id))
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          <optgroup label="Homework and tools">
            <option value={OSTEP_LESSON}>{OSTEP_OPTION}</option>
            <option value={IMAGE_LESSON}>{IMAGE_OPTION}</option>
            <option value={POLICY_LESSON}>{POLICY_OPTION}</option>
            <option value={ARCH_LESSON}>{ARCH_OPTION}</option>
            <option value={COMPARE_LESSON}>{COMPARE_OPTION}</option>
          </optgroup>
        </select>
      </label>
      {scenarioId === DEFAULT_COMPARE_SCENARIO && (
        <button
          type="button"
          className="header-compare"
          data-testid="open-compare"
          title="The same workload under every protocol, as numbers and charts"
          onClick={() => openCompareView(DEFAULT_COMPARE_SCENARIO)}
        >
          Compare side by side
        </button>
      )}
      {scenarioId !== null && !MODES.includes(scenarioId) && <ResetLayoutButton />}
      <ShortcutsToggle />
      <ThemeToggle />
    </header>
  );
}

export function Banner() {
  const banner = useVm((s) => s.banner);
  if (!banner) return null;
  return (
    <div className="banner" role="alert" data-testid="banner">
      <span className="banner-text">{banner}</span>
      <button type="button" onClick={() => dismissBanner()} aria-label="Dismiss message">
        Dismiss
      </button>
    </div>
  );
}

/** Keyboard shortcuts on or off (WCAG 2.1.4: single-key shortcuts can be turned off). */
function ShortcutsToggle() {
  const on = useVm((s) => s.shortcuts);
  return (
    <label className="shortcuts" title="Arrow keys, Space, Home and End step and play when this is on">
      <input
        type="checkbox"
        data-testid="shortcuts-toggle"
        checked={on}
        onChange={(e) => setShortcuts(e.currentTarget.checked)}
      />
      <span>Keys</span>
    </label>
  );
}
