// The comparison view's data: the same numbers as `vmscope compare` (compareProtocols) and the
// bench's cost curve (costCurve), checked field by field; bad sources are refused with a reason.
import { describe, expect, it } from 'vitest';
import { compareProtocols } from '../core/engine/compare';
import { costCurve } from '../core/engine/costCurve';
import { PROTOCOLS, type Protocol } from '../core/spec';
import { findScenario } from '../scenarios/index';
import { compareScenarioIds, compareView, openCompare } from './compare';
import { COMPARE_PROTOCOLS, DEFAULT_COMPARE_PROTOCOLS, DEFAULT_COMPARE_SCENARIO } from './protocol';

function open(scenarioId: string, protocols: Protocol[]) {
  const r = openCompare({ scenarioId, protocols });
  if (!r.ok) throw new Error(r.error);
  return compareView(r.session);
}

describe('the protocol comparison in the worker', () => {
  it('offers every protocol of the core, once', () => {
    expect([...COMPARE_PROTOCOLS].sort()).toEqual([...PROTOCOLS].sort());
    for (const p of DEFAULT_COMPARE_PROTOCOLS) expect(COMPARE_PROTOCOLS).toContain(p);
  });

  it('shows the numbers compareProtocols computes (what the CLI prints) for the same inputs', () => {
    const protocols: Protocol[] = ['linux-x86', 'counter', 'arm-broadcast', 'amd-invlpgb', 'riscv-sbi'];
    const spec = findScenario(DEFAULT_COMPARE_SCENARIO);
    if (!spec) throw new Error('no lesson protocol-compare');
    const cli = compareProtocols(spec, protocols);
    if (!cli.ok) throw new Error(cli.error);
    const view = open(DEFAULT_COMPARE_SCENARIO, protocols);
    expect(view.runs).toHaveLength(protocols.length);
    for (const want of cli.runs) {
      const got = view.runs.find((r) => r.protocol === want.protocol);
      expect(got, want.protocol).toBeDefined();
      if (!got) continue;
      expect(got.ipisSent).toBe(want.ipis);
      expect(got.ipisReceived).toBe(want.ipisReceived);
      expect(got.singleInvalidations + got.fullFlushes).toBe(want.invalidations);
      expect(got.fullFlushes).toBe(want.fullFlushes);
      expect(got.waitCycles).toBe(want.waitCycles);
      expect(got.handlerCycles).toBe(want.handlerCycles);
      expect(got.totalCycles).toBe(want.ticks);
      expect(got.tlbHits).toBe(want.tlbHits);
      expect(got.tlbMisses).toBe(want.tlbMisses);
      expect(got.faults).toBe(want.faults);
      expect(got.violations).toBe(want.violations);
      expect(got.cores.map((c) => c.wait)).toEqual(want.waitCyclesByCore);
      expect(got.cores.map((c) => c.handler)).toEqual(want.handlerCyclesByCore);
      expect(got.cores.reduce((a, c) => a + c.wait, 0)).toBe(want.waitCycles);
      const curve = costCurve(want.protocol);
      if (!curve.ok) throw new Error(curve.error);
      expect(got.curve).toEqual(curve.points);
    }
    // The lesson's point: the hardware broadcasts send no IPI, the IPI kernels do.
    expect(view.runs.find((r) => r.protocol === 'arm-broadcast')?.ipisSent).toBe(0);
    expect(view.runs.find((r) => r.protocol === 'linux-x86')?.ipisSent).toBeGreaterThan(0);
  });

  it('shows a broken kernel with its violations, and says so', () => {
    const view = open(DEFAULT_COMPARE_SCENARIO, ['linux-x86', 'broken-no-shootdown']);
    const broken = view.runs.find((r) => r.protocol === 'broken-no-shootdown');
    expect(broken?.broken).toBe(true);
    expect(broken?.violations).toBeGreaterThan(0);
    expect(view.runs.find((r) => r.protocol === 'linux-x86')?.violations).toBe(0);
    expect(view.narration.join(' ')).toContain(`No shootdown (${broken?.violations} times)`);
  });

  it('puts the chosen protocols in the offered order, whatever order they came in', () => {
    const view = open(DEFAULT_COMPARE_SCENARIO, ['amd-invlpgb', 'broken-no-wait', 'linux-x86']);
    expect(view.selected).toEqual(['linux-x86', 'amd-invlpgb', 'broken-no-wait']);
    expect(view.runs.map((r) => r.protocol)).toEqual(view.selected);
    expect(view.step).toBe(0);
    expect(view.end).toBe(0);
  });

  it('offers multi-core scenarios that remap, not the single-core ones', () => {
    const ids = compareScenarioIds();
    expect(ids).toContain(DEFAULT_COMPARE_SCENARIO);
    expect(ids).toContain('munmap-shootdown');
    for (const id of ids) expect(findScenario(id)?.machine.cores).toBeGreaterThan(1);
    expect(ids).not.toContain('walk-basics');
  });

  it.each([
    [{ scenarioId: 'nope', protocols: ['linux-x86'] }, /no scenario "nope"/],
    [{ scenarioId: 'walk-basics', protocols: ['linux-x86'] }, /"walk-basics" has no shootdown/],
    [{ scenarioId: DEFAULT_COMPARE_SCENARIO, protocols: [] }, /no protocol/],
    [{ scenarioId: DEFAULT_COMPARE_SCENARIO, protocols: ['linux-x86', 'vax'] }, /no protocol "vax"/],
  ])('refuses %j with a reason', (source, says) => {
    const r = openCompare(source as { scenarioId: string; protocols: Protocol[] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(says);
  });
});
