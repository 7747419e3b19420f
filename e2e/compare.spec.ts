// The protocol comparison: one workload under several shootdown protocols, side by side. The
// numbers expected here are computed in the test by the core's compareProtocols (what
// `vmscope compare` prints), so the view is checked against the CLI's code, not a copy of it.
import { compareProtocols, type ProtocolRun } from '../src/core/engine/compare';
import type { Protocol } from '../src/core/spec';
import { findScenario } from '../src/scenarios/index';
import { expect, test } from './fixtures';

// Each comparison runs the workload under every protocol ticked, and the cost curve on up to 16
// cores: seconds on a busy machine, more than the default 30 s for a whole test.
test.describe.configure({ timeout: 120_000 });

const DEFAULTS = ['linux-x86', 'counter', 'riscv-sbi', 'arm-broadcast', 'amd-invlpgb', 'lazy-upgrade'];

function cli(scenarioId: string, protocols: Protocol[]): ProtocolRun[] {
  const spec = findScenario(scenarioId);
  if (!spec) throw new Error(`no scenario ${scenarioId}`);
  const r = compareProtocols(spec, protocols);
  if (!r.ok) throw new Error(r.error);
  return r.runs;
}

test('a link opens the comparison with the numbers of vmscope compare; unticking and ticking reruns it', async ({
  app,
}) => {
  const { compare } = app;
  await compare.open('#compare=protocol-compare&protocols=linux-x86,counter,arm-broadcast');
  await expect(app.scenarioTitle).toHaveText('Shootdown protocols side by side');
  await expect(compare.scenario).toHaveValue('protocol-compare');
  expect(await compare.protocols()).toEqual(['linux-x86', 'counter', 'arm-broadcast']);
  for (const want of cli('protocol-compare', ['linux-x86', 'counter', 'arm-broadcast'])) {
    const p = want.protocol;
    expect(await compare.value(p, 'ipisSent'), p).toBe(want.ipis);
    expect(await compare.value(p, 'ipisReceived'), p).toBe(want.ipisReceived);
    expect(await compare.value(p, 'fullFlushes'), p).toBe(want.fullFlushes);
    expect(await compare.value(p, 'singleInvalidations'), p).toBe(want.invalidations - want.fullFlushes);
    expect(await compare.value(p, 'waitCycles'), p).toBe(want.waitCycles);
    expect(await compare.value(p, 'handlerCycles'), p).toBe(want.handlerCycles);
    expect(await compare.value(p, 'totalCycles'), p).toBe(want.ticks);
    expect(await compare.value(p, 'violations'), p).toBe(0);
  }
  // ARM64 broadcasts in hardware: no IPI; Linux interrupts the other cores.
  await expect(compare.cell('arm-broadcast', 'ipisSent')).toContainText('0');
  expect(await compare.value('linux-x86', 'ipisSent')).toBeGreaterThan(0);
  // Per-core cycles: one small chart per protocol, one bar group per core of the lesson's six.
  await expect(compare.coreCharts).toHaveCount(3);
  await expect(compare.coreCharts.first().getByTestId('compare-core')).toHaveCount(6);
  await expect(compare.curve.getByTestId('compare-curve-line')).not.toHaveCount(0);
  // The controls have nothing to step here.
  await expect(app.controls.stepButton).toHaveCount(0);

  // Untick Counter: its row goes, the link follows, the sentence no longer names it.
  await expect(compare.narration).toContainText('most under Counter (20)');
  await compare.checkbox('counter').uncheck();
  await expect.poll(() => compare.protocols()).toEqual(['linux-x86', 'arm-broadcast']);
  await expect.poll(() => app.fragment()).toBe('#compare=protocol-compare&protocols=linux-x86,arm-broadcast');
  await expect(compare.narration).not.toContainText('Counter');

  // Tick AMD INVLPGB with the keyboard (focus, Space): it joins in the offered order.
  await compare.checkbox('amd-invlpgb').focus();
  await app.page.keyboard.press('Space');
  await expect.poll(() => compare.protocols()).toEqual(['linux-x86', 'arm-broadcast', 'amd-invlpgb']);
  const amd = cli('protocol-compare', ['amd-invlpgb'])[0];
  expect(await compare.value('amd-invlpgb', 'totalCycles')).toBe(amd?.ticks);
  await expect(app.banner).toHaveCount(0);
});

test('a broken kernel shows its violations in the warning colour; the last protocol stays ticked', async ({
  app,
}) => {
  const { compare } = app;
  await compare.open('#compare=protocol-compare&protocols=linux-x86');
  await compare.checkbox('broken-no-shootdown').check();
  await expect(compare.row('broken-no-shootdown')).toBeVisible();
  const want = cli('protocol-compare', ['broken-no-shootdown'])[0]?.violations ?? 0;
  expect(want).toBeGreaterThan(0);
  const bad = compare.cell('broken-no-shootdown', 'violations');
  await expect(bad).toHaveAttribute('data-value', String(want));
  await expect(bad).toHaveClass(/cmp-cell-bad/);
  await expect(bad).toContainText(`⚠ ${want}`);
  await expect(compare.cell('linux-x86', 'violations')).not.toHaveClass(/cmp-cell-bad/);
  await expect(compare.narration).toContainText(`No shootdown (${want} times)`);

  await compare.checkbox('broken-no-shootdown').uncheck();
  await expect.poll(() => compare.protocols()).toEqual(['linux-x86']);
  // Unticking the last one is refused (a click, as .uncheck() would insist the box changes).
  await compare.checkbox('linux-x86').click();
  await expect(app.banner).toContainText('Keep at least one protocol ticked');
  await expect(compare.checkbox('linux-x86')).toBeChecked();
  expect(await compare.protocols()).toEqual(['linux-x86']);
});

test('the lesson and the picker open the comparison; another workload changes the numbers', async ({
  app,
}) => {
  const { compare } = app;
  await app.open('#s=protocol-compare&step=0');
  await app.page.getByRole('button', { name: 'Compare side by side' }).click();
  await expect(compare.ready).toBeVisible({ timeout: 20_000 });
  expect(await compare.protocols()).toEqual(DEFAULTS);
  await expect.poll(() => app.fragment()).toBe(`#compare=protocol-compare&protocols=${DEFAULTS.join(',')}`);

  await compare.scenario.selectOption('munmap-shootdown');
  await expect(compare.root).toHaveAttribute('data-scenario', 'munmap-shootdown');
  const linux = cli('munmap-shootdown', ['linux-x86'])[0];
  await expect(compare.cell('linux-x86', 'ipisSent')).toHaveAttribute('data-value', String(linux?.ipis));
  await expect(compare.coreCharts.first().getByTestId('compare-core')).toHaveCount(
    findScenario('munmap-shootdown')?.machine.cores ?? 0,
  );
  await expect.poll(() => app.fragment()).toMatch(/^#compare=munmap-shootdown&protocols=linux-x86,/);

  // Back to a lesson from the picker, then to the comparison from the picker.
  await app.scenarioPicker.selectOption('munmap-shootdown');
  await app.controls.expectStep(0);
  await expect(compare.root).toHaveCount(0);
  await app.scenarioPicker.selectOption('compare-protocols');
  await expect(compare.ready).toBeVisible({ timeout: 20_000 });
  expect(await compare.protocols()).toEqual(DEFAULTS);
});

test('a bad comparison link says why and keeps what is shown', async ({ app }) => {
  const { compare } = app;
  await compare.open('#compare=protocol-compare&protocols=linux-x86,counter');
  const before = await compare.value('counter', 'ipisSent');
  for (const [fragment, says] of [
    ['#compare=protocol-compare&protocols=linux-x86,vax', /protocol "vax" is not known/],
    [`#compare=protocol-compare&protocols=${'linux-x86,'.repeat(40)}`, /longer than 320/],
  ] as const) {
    await app.page.evaluate((f) => {
      window.location.hash = f;
    }, fragment);
    await expect(app.banner).toContainText(says);
    await expect(app.banner).toContainText('The current view is still shown');
    await expect.poll(() => app.fragment()).toBe('#compare=protocol-compare&protocols=linux-x86,counter');
    expect(await compare.protocols()).toEqual(['linux-x86', 'counter']);
    await app.banner.getByRole('button', { name: 'Dismiss message' }).click();
  }
  // An unknown scenario is found out by the worker: the previous comparison comes back.
  await app.page.evaluate(() => {
    window.location.hash = '#compare=no-such-lesson&protocols=linux-x86';
  });
  await expect(app.banner).toContainText('no scenario "no-such-lesson"');
  await expect(app.banner).toContainText('The previous view is still shown');
  await expect(compare.ready).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => app.fragment()).toBe('#compare=protocol-compare&protocols=linux-x86,counter');
  expect(await compare.protocols()).toEqual(['linux-x86', 'counter']);
  expect(await compare.value('counter', 'ipisSent')).toBe(before);

  // A scenario shown before a bad comparison link stays too, at its step.
  await app.open('#s=lazy-tlb&step=4');
  await app.page.evaluate(() => {
    window.location.hash = '#compare=lazy-tlb&protocols=nope';
  });
  await expect(app.banner).toContainText('"nope"');
  await app.controls.expectStep(4);
  await expect.poll(() => app.fragment()).toBe('#s=lazy-tlb&step=4');
});

test('a bad comparison link opened first shows the default comparison and a message', async ({ app }) => {
  const { compare } = app;
  await compare.open('#compare=walk-basics&protocols=linux-x86');
  await expect(app.banner).toContainText('"walk-basics" has no shootdown to compare');
  await expect(compare.root).toHaveAttribute('data-scenario', 'protocol-compare');
  expect(await compare.protocols()).toEqual(DEFAULTS);
});
