// The page-replacement view: Belady's string under FIFO, LRU, OPT and CLOCK, stepped together.
// FIFO's miss counts are those of the core's runPolicy (9 with 3 frames, 10 with 4: Belady's
// anomaly), checked in src/worker/policy.test.ts against runPolicy itself.
import { expect, test } from './fixtures';

const REFS = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
const POLICIES = ['FIFO', 'LRU', 'OPT', 'CLOCK'];

test('the picker opens the replacement view; stepping to the end shows FIFO missing more with 4 frames', async ({
  app,
}) => {
  await app.open();
  await app.scenarioPicker.selectOption('replacement-policies');
  const { policy, controls } = app;
  await expect(policy.root).toBeVisible();
  await expect(app.scenarioTitle).toHaveText('Page replacement: FIFO, LRU, OPT, Clock');
  await expect(policy.input).toContainText(REFS.join(','));
  await controls.expectStep(0);
  await expect.poll(() => app.fragment()).toBe('#policy=belady&frames=3&step=0');
  await expect(policy.columns).toHaveCount(4);
  for (const [i, p] of POLICIES.entries()) {
    await expect(policy.columns.nth(i)).toHaveAttribute('data-policy', p);
    await expect(policy.rows(p)).toHaveCount(REFS.length);
  }
  await expect(policy.column('CLOCK')).toContainText('seed 0');
  await expect(app.pageTable.root).toHaveCount(0);
  await expect(controls.nextIpi).toHaveCount(0);

  // One step moves every column by one reference.
  await controls.step();
  for (const p of POLICIES) {
    await expect(policy.rows(p).first()).toHaveAttribute('data-state', 'now');
    await expect(policy.rows(p).first()).toHaveAttribute('data-hit', 'false');
    await expect(policy.column(p)).toHaveAttribute('data-misses', '1');
    await expect(policy.rows(p).nth(1)).toHaveAttribute('data-state', 'todo');
  }
  await controls.stepBack();
  await controls.expectStep(0);
  for (const p of POLICIES) await expect(policy.column(p)).toHaveAttribute('data-misses', '0');

  for (let i = 1; i <= REFS.length; i++) await controls.step();
  await controls.expectStep(REFS.length);
  await expect(controls.stepButton).toBeDisabled();
  const fifo = policy.column('FIFO');
  await expect(fifo).toHaveAttribute('data-misses', '9');
  await expect(fifo).toHaveAttribute('data-hits', '3');
  await expect(fifo).toContainText('hit rate 25.0%');
  for (const p of POLICIES) {
    await expect(policy.column(p).locator('[data-testid="policy-row"][data-state="todo"]')).toHaveCount(0);
  }
  await expect(app.log.narration).toContainText("Belady's anomaly");

  // Four frames, at the same step: FIFO misses once more.
  await policy.frames(4).click();
  await expect(policy.frames(4)).toHaveAttribute('aria-pressed', 'true');
  await controls.expectStep(REFS.length);
  await expect(fifo).toHaveAttribute('data-misses', '10');
  await expect(policy.rows('FIFO').first().getByTestId('policy-cache').locator('span')).toHaveCount(4);
  await expect.poll(() => app.fragment()).toBe(`#policy=belady&frames=4&step=${REFS.length}`);
  await expect(policy.fifoMisses.locator('[data-frames="3"]')).toHaveAttribute('data-misses', '9');
  await expect(policy.fifoMisses.locator('[data-frames="4"]')).toHaveAttribute('data-misses', '10');
});

test('the keyboard steps all four columns; Home and End go to the edges', async ({ app, page }) => {
  await app.open('#policy=belady&frames=3&step=0');
  const { policy, controls } = app;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(2);
  for (const p of POLICIES) await expect(policy.rows(p).nth(1)).toHaveAttribute('data-state', 'now');
  await page.keyboard.press('ArrowLeft');
  await controls.expectStep(1);
  await page.keyboard.press('End');
  await controls.expectStep(REFS.length);
  await expect(policy.column('FIFO')).toHaveAttribute('data-misses', '9');
  await page.keyboard.press('Home');
  await controls.expectStep(0);
  await expect(policy.column('FIFO')).toHaveAttribute('data-misses', '0');
});

test('a link opens at its cache size and step; a bad one shows a banner and the default', async ({ app }) => {
  await app.open('#policy=belady&frames=4&step=7');
  const { policy, controls } = app;
  await controls.expectStep(7);
  await expect(policy.frames(4)).toHaveAttribute('aria-pressed', 'true');
  // FIFO with 4 frames: 1,2,3,4 miss, 1,2 hit, 5 misses and evicts 1.
  await expect(policy.rows('FIFO').nth(6)).toHaveAttribute('data-evicted', '1');
  await expect(policy.column('FIFO')).toHaveAttribute('data-misses', '5');
  await expect(app.banner).toHaveCount(0);

  await app.open('#policy=belady&frames=99&step=3');
  await expect(app.banner).toBeVisible();
  await expect(app.banner).toContainText(/could not be opened.*"99"/);
  await expect(policy.root).toBeVisible();
  await controls.expectStep(0);
  await expect(policy.frames(3)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => app.fragment()).toBe('#policy=belady&frames=3&step=0');

  await app.open('#policy=nope&step=2');
  await expect(app.banner).toContainText('"nope"');
  await expect(policy.root).toBeVisible();
  await controls.expectStep(0);
});
