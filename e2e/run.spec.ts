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
  await controls.playButton.click();
  await expect(controls.playButton).toHaveText(/Pause/);
  await controls.expectStep(end);
  await expect(controls.playButton).toHaveText(/Play/);
  await expect(app.log.narration).toContainText('SIGSEGV');

  // Key-moment markers jump to their step.
  const marker = controls.keyMoments.first();
  const at = Number(await marker.getAttribute('data-step'));
  await marker.click();
  await controls.expectStep(at);
});
