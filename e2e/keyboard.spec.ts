import { expect, test } from './fixtures';

test('Right steps, Left goes back, Space plays and pauses', async ({ app, page }) => {
  await app.open();
  const { controls } = app;
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(1);
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(2);
  await page.keyboard.press('ArrowLeft');
  await controls.expectStep(1);

  // A click on a button leaves the shortcuts working (the button does not keep the focus).
  await controls.stepButton.click();
  await controls.expectStep(2);

  const scrollBefore = await page.evaluate(() => window.scrollY);
  await page.keyboard.press('Space');
  await expect(controls.playButton).toHaveText(/Pause/);
  await expect.poll(() => controls.currentStep(), { timeout: 5_000 }).toBeGreaterThan(3);
  await page.keyboard.press('Space');
  await expect(controls.playButton).toHaveText(/Play/);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);

  // Paused: the counter stays put.
  const stopped = await controls.currentStep();
  await page.waitForTimeout(1_200);
  await controls.expectStep(stopped);
});

test('Shift+Right / Shift+Left jump between key moments; Home and End go to the ends', async ({
  app,
  page,
}) => {
  await app.open();
  const { controls } = app;
  const first = await controls.keyMomentStep('Core 1 caches the page');
  const second = await controls.keyMomentStep('Core 2 caches the page');
  await page.keyboard.press('Shift+ArrowRight');
  await controls.expectStep(first);
  await page.keyboard.press('Shift+ArrowRight');
  await controls.expectStep(second);
  await page.keyboard.press('Shift+ArrowLeft');
  await controls.expectStep(first);
  await page.keyboard.press('End');
  await controls.expectStep(await controls.endStep());
  await page.keyboard.press('Home');
  await controls.expectStep(0);
});

test('the keyboard shortcuts can be turned off and on again (WCAG 2.1.4)', async ({ app, page }) => {
  await app.open();
  const { controls } = app;
  const toggle = page.getByTestId('shortcuts-toggle');
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await page.waitForTimeout(500);
  await controls.expectStep(0);
  // The buttons still work.
  await controls.stepButton.click();
  await controls.expectStep(1);
  await toggle.check();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(2);
});
