// The app survives a failing worker and a failing panel. The failures are made on purpose with
// the test hooks, installed only with ?testhooks=1 in the query (src/state/testHooks.ts).
import { expect, test } from './fixtures';
import { fixtureText } from './ostepFixtures';
import type { AppPage } from './pages/app';
// For its window.__vmscopeTestHooks declaration.
import type {} from '../src/state/testHooks';

// The machine running the suite may be busy: a first snapshot and an axe scan get more time.
test.describe.configure({ timeout: 120_000 });

async function open(app: AppPage, fragment: string): Promise<void> {
  await app.page.goto(`/${fragment}`);
  await expect(app.controls.counter).toHaveText(/^\d+$/, { timeout: 30_000 });
}

const HOOKS = '?testhooks=1';

async function hook(app: AppPage, name: 'workerThrow' | 'workerHang'): Promise<void> {
  await app.page.evaluate((n) => window.__vmscopeTestHooks?.[n](), name);
}

async function panelHook(app: AppPage, name: 'breakPanel' | 'healPanel', panel: string): Promise<void> {
  await app.page.evaluate(([n, p]) => window.__vmscopeTestHooks?.[n](p), [name, panel] as const);
}

test('no test hooks without ?testhooks=1', async ({ app }) => {
  await open(app, '#s=munmap-shootdown&step=2');
  expect(await app.page.evaluate(() => typeof window.__vmscopeTestHooks)).toBe('undefined');
});

test('the worker throws: banner, restored at the last good step, stepping still works', async ({ app }) => {
  await open(app, `${HOOKS}#s=munmap-shootdown&step=0`);
  await app.controls.seek(5);
  await app.controls.step();
  await app.dock.show('frames');
  await hook(app, 'workerThrow');
  await expect(app.banner).toContainText(/^The simulation crashed \(.*the worker threw\) at step 6;/);
  await expect(app.banner).toContainText('restarted and restored step 6.');
  await app.controls.expectStep(6);
  // The same scenario and view: the chosen tab stays.
  await expect(app.scenarioPicker).toHaveValue('munmap-shootdown');
  await expect(app.page.getByTestId('panel-frames')).toBeVisible();
  await app.controls.step();
  await app.controls.stepBack();
  await app.controls.stepBack();
  await app.controls.expectStep(5);
  await expect.poll(() => app.fragment()).toBe('#s=munmap-shootdown&step=5');
  // The banner can be dismissed.
  await app.banner.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(app.banner).toHaveCount(0);
});

test('the worker hangs: the watchdog restarts it at the last good step', async ({ app, page }) => {
  await open(app, `${HOOKS}#s=munmap-shootdown&step=4`);
  await app.controls.step();
  await hook(app, 'workerHang');
  // A step sent to the stuck worker goes unanswered; the page itself stays responsive.
  await app.controls.stepButton.click();
  await app.dock.show('cores');
  await app.controls.expectStep(5);
  await expect(app.banner).toContainText(
    'The simulation stopped responding at step 5; restarted and restored step 5.',
    { timeout: 15_000 },
  );
  await app.controls.expectStep(5);
  await expect(page.getByTestId('panel-cores')).toBeVisible();
  await app.controls.step();
  await app.controls.expectStep(6);
});

test('a pasted OSTEP problem survives a crash, at its step', async ({ app }) => {
  await open(app, `${HOOKS}#ostep=seed1&step=0`);
  await app.ostep.paste(fixtureText('seed2.problem.txt'));
  await expect(app.ostep.problem).toContainText('pasted problem (seed 2)');
  await app.controls.step();
  await app.controls.step();
  await hook(app, 'workerThrow');
  await expect(app.banner).toContainText('restarted and restored step 2.');
  await app.controls.expectStep(2);
  await expect(app.ostep.problem).toContainText('pasted problem (seed 2)');
});

test('a panel that throws shows its error box; the others keep working', async ({ app, page }) => {
  await open(app, `${HOOKS}#s=munmap-shootdown&step=3`);
  await panelHook(app, 'breakPanel', 'tlb');
  const failed = page.getByTestId('panel-failed-tlb');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('This panel failed: test hook: the tlb panel threw');
  await expect(failed).toHaveAccessibleName('TLBs');
  await expect(page.getByTestId('panel-tlb')).toHaveCount(0);
  // Everything else still renders and follows the steps.
  await expect(page.getByTestId('panel-pagetable')).toBeVisible();
  await expect(page.getByTestId('panel-log')).toBeVisible();
  await app.controls.step();
  await app.controls.expectStep(4);
  // Retry while it still fails: the box again. Healed, retry brings the panel back.
  await failed.getByTestId('panel-retry').click();
  await expect(failed).toBeVisible();
  await panelHook(app, 'healPanel', 'tlb');
  await failed.getByTestId('panel-retry').click();
  await expect(page.getByTestId('panel-tlb')).toBeVisible();
  await expect(failed).toHaveCount(0);
});
