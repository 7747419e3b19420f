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
