import { expect, test } from './fixtures';

// The IPI lanes zoom in time (buttons, keys, wheel); the zoom survives steps until "fit"; lazy
// cores are marked; the app's step keys keep working after zooming.

const span = ([a, b]: [number, number]) => b - a;

test('zoom in, out and fit change the time axis; the zoom survives a step', async ({ app, page }) => {
  await app.open('#s=protocol-compare&step=60');
  const { ipi, controls } = app;
  await expect(ipi.axis).toBeVisible();
  const full = await ipi.domain();
  expect(full[0]).toBe(0);
  await expect(ipi.fit).toBeDisabled();

  await ipi.zoomIn.click();
  await expect.poll(async () => span(await ipi.domain())).toBeLessThan(span(full) * 0.6);
  const zoomed = await ipi.domain();
  await ipi.zoomIn.click();
  await expect.poll(async () => span(await ipi.domain())).toBeLessThan(span(zoomed) * 0.6);
  await ipi.zoomOut.click();
  await expect.poll(() => ipi.domain()).toEqual(zoomed);

  // A step keeps the window (in cycles).
  await controls.stepButton.click();
  await controls.expectStep(61);
  expect(await ipi.domain()).toEqual(zoomed);

  await ipi.fit.click();
  await expect.poll(async () => (await ipi.domain())[0]).toBe(0);
  expect(span(await ipi.domain())).toBeGreaterThanOrEqual(span(full));
  await expect(ipi.fit).toBeDisabled();
  void page;
});

test('+ − 0 zoom the focused lanes; Right and Left still step', async ({ app, page }) => {
  await app.open('#s=protocol-compare&step=60');
  const { ipi, controls } = app;
  const full = await ipi.domain();
  await ipi.plot.focus();
  await page.keyboard.press('+');
  await expect.poll(async () => span(await ipi.domain())).toBeLessThan(span(full));
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(61);
  await page.keyboard.press('ArrowLeft');
  await controls.expectStep(60);
  await page.keyboard.press('-');
  await page.keyboard.press('0');
  await expect.poll(() => ipi.domain()).toEqual(full);
});

test('the wheel zooms about the pointer, a drag pans', async ({ app, page }) => {
  await app.open('#s=protocol-compare&step=60');
  const { ipi } = app;
  const full = await ipi.domain();
  const box = await ipi.plot.boundingBox();
  if (!box) throw new Error('no plot');
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => span(await ipi.domain())).toBeLessThan(span(full));
  const zoomed = await ipi.domain();
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await ipi.domain())[0]).toBeGreaterThan(zoomed[0]);
});

test('a lazy core is marked on its lane', async ({ app }) => {
  await app.open('#s=protocol-compare&step=60');
  const lane = app.ipi.root.locator('[data-testid="ipi-lane"][data-core="4"]');
  await expect(lane).toHaveAttribute('data-lazy', 'yes');
  await expect(lane).toContainText('lazy TLB now');
  await expect(app.ipi.coreState(4)).toHaveAttribute('data-state', 'lazy');
});
