import { expect, test } from './fixtures';

// The fixture fails the test on any page error, console error or failed request.
test('a run to the end raises no errors', async ({ app }) => {
  await app.open();
  const { controls } = app;
  const end = await controls.endStep();
  expect(end).toBeGreaterThan(30);
  // The layout fits the projector's 1280x720 without horizontal scrolling.
  expect(await app.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  await controls.nextFault.click();
  await expect(app.log.events.filter({ hasText: 'fault.raised' })).toHaveCount(1);
  await controls.seek(0);

  await controls.speed.selectOption('30');
  // Record whether the button ever said Pause: on a loaded machine the whole run can play out
  // between two polls, so the test watches the DOM instead of racing the player.
  await app.page.evaluate(() => {
    const btn = document.querySelector('[data-testid="btn-play"]');
    const w = window as unknown as { sawPause: boolean };
    w.sawPause = false;
    if (!btn) return;
    new MutationObserver(() => {
      if (btn.textContent?.includes('Pause')) w.sawPause = true;
    }).observe(btn, { childList: true, characterData: true, subtree: true });
  });
  await controls.playButton.click();
  await controls.expectStep(end);
  expect(await app.page.evaluate(() => (window as unknown as { sawPause: boolean }).sawPause)).toBe(true);
  await expect(controls.playButton).toHaveText(/Play/);
  await expect(app.log.narration).toContainText('SIGSEGV');

  // Key-moment markers jump to their step.
  const marker = controls.keyMoments.first();
  const at = Number(await marker.getAttribute('data-step'));
  await marker.click();
  await controls.expectStep(at);
});

// vite.config.ts serves the app cross-origin isolated: bench:ui needs its fine-grained clock to
// tell a 16.7 ms frame from a late one, and the app must still load everything it needs under it.
test('the app is served cross-origin isolated and works under it', async ({ app }) => {
  await app.open();
  expect(await app.page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await app.controls.stepButton.click();
  await app.controls.expectStep(1);
});
