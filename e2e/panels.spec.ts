// The shared panel area's tabs (IPIs | Cores | Frames | Stats): the frames of fork and
// copy-on-write, the cores during a shootdown, the statistics against the IPI lanes, and the tabs
// driven from the keyboard.
import { expect, test } from './fixtures';

test('copy-on-write: one frame shared with refcount 2 after fork, separate frames after the copy', async ({
  app,
}) => {
  await app.open('#s=copy-on-write&step=0');
  const { controls, dock, frames } = app;
  // Three cores, but the lesson is about frames: its layout opens the frames (not the IPI lanes).
  expect(await dock.selected()).toBe('frames');
  await dock.show('frames');

  // Before fork: one data frame, the parent's.
  await expect(frames.inState('anon')).toHaveCount(1);
  const parentFrame = Number(await frames.inState('anon').getAttribute('data-pfn'));

  await controls.seek(await controls.keyMomentStep('The child maps the same frame'));
  const shared = frames.inState('cow');
  await expect(shared).toHaveCount(1);
  await expect(shared).toHaveAttribute('data-pfn', String(parentFrame));
  await expect(shared).toHaveAttribute('data-refcount', '2');
  await expect(shared).toContainText('×2');
  await expect(frames.inState('anon')).toHaveCount(0);
  // Focus shows the details: refcount and both mappers.
  await shared.focus();
  await expect(frames.detail).toContainText(`Frame ${parentFrame}`);
  await expect(frames.detail).toContainText('refcount 2');
  await expect(frames.detail).toContainText('mapped by process 1, process 2');
  await shared.blur();

  // The child's write copies: a new frame for the child, flashing as allocated in this step.
  await controls.seek(await controls.keyMomentStep('Copy-on-write: a new frame'));
  const copy = app.frames.root.locator('[data-testid="frame"][data-state="anon"][data-pid="2"]');
  await expect(copy).toHaveCount(1);
  await expect(copy).toHaveAttribute('data-change', 'alloc');

  // Once the child's old translation is flushed, parent and child each own one frame.
  await controls.seek(await controls.keyMomentStep('Only user left: reuse in place'));
  await expect(frames.inState('cow')).toHaveCount(0);
  const data = (await frames.list()).filter((f) => f.state === 'anon');
  expect(data.map((f) => f.pid).sort()).toEqual([1, 2]);
  expect(data.every((f) => f.refcount === 1)).toBe(true);
  expect(data.find((f) => f.pid === 1)?.pfn).toBe(parentFrame);
  expect(data.find((f) => f.pid === 2)?.pfn).not.toBe(parentFrame);
});

test('munmap-shootdown: core 0 waits for the acks of cores 1 and 2; the IPI total matches the arrows', async ({
  app,
}) => {
  await app.open('#s=munmap-shootdown&step=0');
  const { controls, dock, cores, ipi, stats } = app;
  await controls.seek(await controls.keyMomentStep('Core 1 invalidates'));

  await dock.show('cores');
  await expect(cores.rows).toHaveCount(4);
  await expect(cores.row(0)).toHaveAttribute('data-state', 'waiting');
  await expect(cores.row(0)).toHaveAttribute('data-waiting-for', '1,2');
  await expect(cores.row(0)).toContainText('acks due from cores 1, 2');
  await expect(cores.row(1)).toHaveAttribute('data-state', 'interrupt');
  // In the handler, entered through an interrupt gate: IF is off; the waiting initiator has it on.
  await expect(cores.row(1).getByTestId('core-if')).toHaveText('off');
  await expect(cores.row(0).getByTestId('core-if')).toHaveText('on');
  await expect(cores.row(3)).toHaveAttribute('data-waiting-for', '');
  // Core 3 runs another process: its CR3 is that process's table, not process 1's.
  await expect(cores.row(3)).toContainText('2 other');

  for (const step of [await controls.currentStep(), await controls.endStep()]) {
    await controls.seek(step);
    await dock.show('ipi');
    const arrows = await ipi.arrows.count();
    expect(arrows).toBeGreaterThan(0);
    await dock.show('stats');
    await expect(stats.tile('ipis')).toHaveAttribute('data-value', String(arrows));
    await expect(stats.ipiChart).toBeVisible();
  }
  // After the shootdown, core 0 waits for nobody.
  await dock.show('cores');
  await expect(cores.row(0)).toHaveAttribute('data-waiting-for', '');
});

test('the tabs work from the keyboard, and the step shortcuts stay out of the tab list', async ({
  app,
  page,
}) => {
  await app.open('#s=munmap-shootdown&step=3');
  const { controls, dock } = app;
  await controls.expectStep(3);

  // Tab into the tab list: the selected tab is the one stop.
  await dock.tab('ipi').focus();
  await page.keyboard.press('ArrowRight');
  await expect(dock.tab('cores')).toBeFocused();
  await expect(dock.tab('cores')).toHaveAttribute('aria-selected', 'true');
  await expect(dock.tab('ipi')).toHaveAttribute('tabindex', '-1');
  await expect(app.cores.root).toBeVisible();
  await page.keyboard.press('End');
  await expect(dock.tab('stats')).toBeFocused();
  await expect(app.stats.root).toBeVisible();
  await page.keyboard.press('Home');
  await expect(dock.tab('ipi')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(dock.tab('stats')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(dock.tab('frames')).toHaveAttribute('aria-selected', 'true');
  await expect(app.frames.root).toBeVisible();
  // None of those keys stepped, jumped or played.
  await controls.expectStep(3);
  await page.keyboard.press('Space');
  await expect(controls.playButton).toHaveText(/Play/);
  await controls.expectStep(3);

  // Out of the tab list the shortcuts work again; a mouse click on a tab keeps them working.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(4);
  await dock.show('cores');
  await page.keyboard.press('ArrowRight');
  await controls.expectStep(5);
  // The chosen tab stays while stepping.
  expect(await dock.selected()).toBe('cores');
});

test('a single-core lesson opens on the frames: huge pages as one cell each, among a million frames', async ({
  app,
}) => {
  await app.open('#s=huge-pages&step=0');
  const { dock, frames } = app;
  expect(await dock.selected()).toBe('frames');
  await expect(frames.summary).toContainText('of 1,048,576 frames in use');
  await expect(frames.root.getByText('2 MiB P1')).toHaveCount(1);
  await expect(frames.root.getByText('1 GiB P1')).toHaveCount(1);
  expect(await frames.cells.count()).toBeLessThan(20);
  expect(await frames.gaps.count()).toBeGreaterThan(0);
  await expect(frames.more).toHaveCount(0);
});
