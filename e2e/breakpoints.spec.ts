import { expect, test } from './fixtures';
import { BreakpointsMenu } from './pages/breakpoints';

test('ticks under the scrubber mark the run’s IPIs and faults; a broken kernel’s violations too', async ({
  app,
}) => {
  const bp = new BreakpointsMenu(app.page);
  await app.open('#s=munmap-shootdown');
  const ipis = await bp.tickSteps('ipi');
  expect(ipis.length).toBeGreaterThan(0);
  await expect(bp.ticks.locator('g[data-kind="violation"] line')).toHaveCount(0);
  // The first IPI tick is where "Next IPI" goes.
  await app.controls.nextIpi.click();
  await app.controls.expectStep(ipis[0] as number);

  await app.open('#s=no-shootdown-bug');
  await expect.poll(() => bp.tickSteps('violation').then((s) => s.length)).toBeGreaterThan(0);
});

test('go to step, run to the next event of a kind, and a bad step is refused', async ({ app }) => {
  const bp = new BreakpointsMenu(app.page);
  await app.open('#s=munmap-shootdown');
  await bp.open();
  await bp.gotoInput.fill('12');
  await bp.gotoButton.click();
  await app.controls.expectStep(12);
  await bp.gotoInput.fill('99999');
  await bp.gotoButton.click();
  await expect(bp.error).toContainText('whole number');
  await app.controls.expectStep(12);

  await app.controls.seek(0);
  await bp.runKind.selectOption('syscall');
  await bp.runNext.click();
  await expect(app.log.events.filter({ hasText: 'syscall.enter' })).toHaveCount(1);
});

test('a breakpoint on an address stops playing there and says why; removing it lets play run on', async ({
  app,
}) => {
  const bp = new BreakpointsMenu(app.page);
  await app.open('#s=munmap-shootdown');
  await bp.open();
  await bp.address.fill('not an address');
  await bp.addAddress.click();
  await expect(bp.error).toContainText('hex digits');
  await bp.address.fill('0x7f0000001000');
  await bp.addAddress.click();
  await expect(bp.list.locator('li')).toHaveCount(1);
  await expect(bp.button).toContainText('1 bp');

  await app.controls.speed.selectOption('30');
  await app.controls.playButton.click();
  await expect(bp.hit).toContainText('breakpoint on address 0x7f0000001000');
  await expect(app.controls.playButton).toHaveText(/Play/);
  const stoppedAt = await app.controls.currentStep();
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(await app.controls.endStep());
  await expect(app.log.events.filter({ hasText: '0x7f0000001' }).first()).toBeVisible();

  // An event-kind breakpoint: the next stop is at an IPI.
  await bp.open();
  await bp.list.getByRole('button').click();
  await bp.kind('ipi').check();
  await app.controls.seek(0);
  await app.controls.playButton.click();
  await expect(bp.hit).toContainText('breakpoint on ipi.sent');
  await expect(app.log.events.filter({ hasText: 'ipi.sent' }).first()).toBeVisible();
});
