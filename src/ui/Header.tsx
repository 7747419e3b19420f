// Title, the scenario's title and summary, the scenario picker and the banner.
import type { ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { dismissBanner, loadScenario, useVm } from '../state';

export function Header() {
  const { scenarios, scenarioId, title, summary } = useVm(
    useShallow((s) => ({
      scenarios: s.scenarios,
      scenarioId: s.scenarioId,
      title: s.snapshot?.title ?? '',
      summary: s.snapshot?.summary ?? '',
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
          {scenarios.length === 0 && scenarioId && <option value={scenarioId}>{scenarioId}</option>}
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
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
