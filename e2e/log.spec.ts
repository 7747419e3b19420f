import { expect, test } from './fixtures';

// The run-wide event log: this step's events and those of earlier steps, filterable; a row
// seeks to its step (click, or Enter on it), and the app's step keys keep working.

test('filters the run-wide log by kind and by text', async ({ app }) => {
  await app.open('#s=munmap-shootdown&step=30');
  const { log } = app;
  await expect(log.pastRows.first()).toBeVisible();
  const all = await log.rowList();
  expect(new Set(all.map((r) => r.type)).size).toBeGreaterThan(2);
  expect(all.some((r) => r.step < 30)).toBe(true);

  await log.kind.selectOption('type:tlb.miss');
  await expect(log.rows.first()).toBeVisible();
  await expect.poll(async () => [...new Set((await log.rowList()).map((r) => r.type))]).toEqual(['tlb.miss']);

  await log.kind.selectOption('all');
  await log.filter.fill('core=2');
  const total = Number(await log.status.getAttribute('data-total'));
  await expect.poll(async () => Number(await log.status.getAttribute('data-shown'))).toBeLessThan(total);
  expect(Number(await log.status.getAttribute('data-shown'))).toBeGreaterThan(0);
  const texts = await log.rows.allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(t).toMatch(/core=2\b|to=2\b|from=2\b/);
  await expect(log.status).toContainText(`of`);
});

test('clicking a row of an earlier step seeks there; Enter on a row does too; keys still step', async ({
  app,
  page,
}) => {
  await app.open('#s=munmap-shootdown&step=30');
  const { log, controls } = app;
  await expect(log.pastRows.first()).toBeVisible();
  const target = log.pastRows.filter({ has: page.locator('[data-type="tlb.miss"]') }).first();
  const row = (await target.count()) > 0 ? target : log.pastRows.nth(3);
  const step = Number(await row.getAttribute('data-step'));
  expect(step).toBeLessThan(30);
  await row.getByRole('button').click();
  await controls.expectStep(step);
  // The sought step's rows are now the current ones, highlighted.
  await expect(log.events.first()).toHaveAttribute('data-current', 'true');
  await expect(log.events.first()).toHaveAttribute('data-step', String(step));

  // Keyboard: focus an earlier row and press Enter.
  const earlier = log.pastRows.last();
  const earlierStep = Number(await earlier.getAttribute('data-step'));
  expect(earlierStep).toBeLessThan(step);
  await earlier.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await controls.expectStep(earlierStep);

  // The app's Right / Left still step with a row focused.
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(earlierStep + 1);
  await page.keyboard.press('ArrowLeft');
  await controls.expectStep(earlierStep);
});

test('Up and Down move between rows', async ({ app, page }) => {
  await app.open('#s=munmap-shootdown&step=20');
  const { log } = app;
  await expect(log.pastRows.first()).toBeVisible();
  const first = log.rows.first().getByRole('button');
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await expect(log.rows.nth(1).getByRole('button')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(first).toBeFocused();
});
