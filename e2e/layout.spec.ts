// The main view's layout: splitters (mouse and keyboard), collapsing panels, each lesson's own
// first layout, and Reset layout. At 1280x720 (the projector).
import { expect, test } from './fixtures';

test('dragging a splitter moves the panels on both sides of it', async ({ app }) => {
  await app.open('#s=munmap-shootdown&step=5');
  const { layout } = app;
  await expect(layout.reset).toBeDisabled();
  const pt = await layout.box('pagetable');
  const tlb = await layout.box('tlb');
  const before = await layout.value('pt');
  await layout.drag('pt', 120, 0);
  await expect.poll(async () => (await layout.box('pagetable')).width).toBeGreaterThan(pt.width + 100);
  const pt2 = await layout.box('pagetable');
  const tlb2 = await layout.box('tlb');
  expect(pt2.width).toBeLessThan(pt.width + 140);
  expect(tlb2.x).toBeGreaterThan(tlb.x + 100);
  expect(tlb2.width).toBeLessThan(tlb.width);
  expect(await layout.value('pt')).toBeGreaterThan(before);
  await expect(layout.reset).toBeEnabled();

  // The row splitter: dragging it up gives the dock more height.
  const dock = await layout.box('dock');
  await layout.drag('top', 0, -60);
  await expect.poll(async () => (await layout.box('dock')).height).toBeGreaterThan(dock.height + 40);

  // Dragged far past its limit, the page table stops where the panels on its right stay usable.
  await layout.drag('pt', 900, 0);
  const tlb3 = await layout.box('tlb');
  expect(tlb3.width).toBeGreaterThanOrEqual(240);
  expect(await layout.value('pt')).toBe(Number(await layout.splitter('pt').getAttribute('aria-valuemax')));
});

test('a focused splitter moves with the keys, and the step shortcuts leave it alone', async ({
  app,
  page,
}) => {
  await app.open('#s=munmap-shootdown&step=5');
  const { layout, controls } = app;
  const sep = layout.splitter('tlb');
  await expect(sep).toHaveAttribute('role', 'separator');
  await expect(sep).toHaveAttribute('aria-orientation', 'vertical');
  await expect(sep).toHaveAttribute('aria-controls', 'area-tlb');
  const start = await layout.value('tlb');
  const width = (await layout.box('tlb')).width;
  await sep.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(sep).toHaveAttribute('aria-valuenow', String(start + 4));
  expect((await layout.box('tlb')).width).toBeGreaterThan(width + 10);
  await page.keyboard.press('Home');
  await expect(sep).toHaveAttribute('aria-valuenow', (await sep.getAttribute('aria-valuemin')) ?? 'x');
  await page.keyboard.press('End');
  await expect(sep).toHaveAttribute('aria-valuenow', (await sep.getAttribute('aria-valuemax')) ?? 'x');
  await page.keyboard.press('ArrowLeft');
  // None of these stepped the machine or jumped to its ends.
  await controls.expectStep(5);
  await page.keyboard.press('Enter');
  await expect(sep).toHaveAttribute('aria-valuenow', String(start));

  // The row splitter uses Up and Down.
  const top = layout.splitter('top');
  await expect(top).toHaveAttribute('aria-orientation', 'horizontal');
  const topStart = await layout.value('top');
  await top.focus();
  await page.keyboard.press('ArrowDown');
  await expect(top).toHaveAttribute('aria-valuenow', String(topStart + 2));
  await page.keyboard.press('Space');
  await expect(controls.playButton).toHaveText(/Play/);
  // A double-click puts it back too.
  await top.dblclick();
  await expect(top).toHaveAttribute('aria-valuenow', String(topStart));
});

test('a panel collapses to its title bar and expands again; the others take the room', async ({ app }) => {
  await app.open('#s=munmap-shootdown&step=5');
  const { layout } = app;
  const tlb = await layout.box('tlb');
  await expect(layout.collapseButton('log')).toHaveAttribute('aria-expanded', 'true');
  const button = await layout.collapseButton('log').boundingBox();
  expect(button?.width).toBeGreaterThanOrEqual(24);
  expect(button?.height).toBeGreaterThanOrEqual(24);

  await layout.collapse('log');
  await expect(app.log.root).toHaveCount(0);
  await expect(layout.expandButton('log')).toHaveAttribute('aria-expanded', 'false');
  await expect(layout.area('log')).toContainText('Event log');
  expect((await layout.box('log')).width).toBeLessThan(50);
  expect((await layout.box('tlb')).width).toBeGreaterThan(tlb.width + 200);
  // No splitter beside a collapsed panel.
  await expect(layout.splitter('tlb')).toHaveCount(0);

  // The dock collapses to a bar; the top row takes the height.
  await layout.collapse('dock');
  const bar = await layout.box('dock');
  expect(bar.height).toBeLessThan(50);
  expect((await layout.box('tlb')).height).toBeGreaterThan(tlb.height + 150);

  await layout.expand('log');
  await layout.expand('dock');
  await expect(app.log.narration).toBeVisible();
  const back = await layout.box('tlb');
  expect(Math.abs(back.width - tlb.width)).toBeLessThan(2);
  expect(Math.abs(back.height - tlb.height)).toBeLessThan(2);
  // Back to the lesson's own layout: nothing to reset.
  await expect(layout.reset).toBeDisabled();
});

test('each lesson opens with its own layout: the panels it is about', async ({ app }) => {
  await app.open('#s=walk-basics&step=0');
  const walkTree = (await app.layout.box('pagetable')).width;
  await app.open('#s=munmap-shootdown&step=0');
  expect(await app.dock.selected()).toBe('ipi');
  const shootdownTree = (await app.layout.box('pagetable')).width;
  expect(walkTree).toBeGreaterThan(shootdownTree + 80);
  await app.open('#s=copy-on-write&step=0');
  expect(await app.dock.selected()).toBe('frames');
  const cowDock = (await app.layout.box('dock')).height;
  await app.open('#s=page-lock-contention&step=0');
  expect(await app.dock.selected()).toBe('cores');
  await app.open('#s=tlb-hierarchy&step=0');
  // The TLB lesson gives the TLBs the height copy-on-write gives the frames below.
  expect((await app.layout.box('dock')).height).toBeLessThan(cowDock - 60);
});

test("the user's layout holds across lessons and a reload until Reset layout", async ({ app, page }) => {
  await app.open('#s=walk-basics&step=0');
  const { layout } = app;
  const lessonValue = await layout.value('pt');
  await layout.collapse('log');
  await layout.splitter('pt').focus();
  await page.keyboard.press('PageUp');
  const mine = await layout.value('pt');
  expect(mine).toBe(lessonValue - 10);

  await app.scenarioPicker.selectOption('copy-on-write');
  await expect(app.scenarioTitle).toContainText(/copy-on-write/i);
  await expect(layout.splitter('pt')).toHaveAttribute('aria-valuenow', String(mine));
  await expect(page.getByTestId('collapsed-log')).toBeVisible();
  // The dock tab still follows the lesson.
  expect(await app.dock.selected()).toBe('frames');

  await page.reload();
  await expect(page.getByTestId('collapsed-log')).toBeVisible();
  await expect(layout.splitter('pt')).toHaveAttribute('aria-valuenow', String(mine));

  await layout.reset.click();
  await expect(app.log.root).toBeVisible();
  await expect(layout.reset).toBeDisabled();
  // copy-on-write's own layout: the base page-table width, more than walk-basics' minus 10.
  expect(await layout.value('pt')).not.toBe(mine);
  await app.scenarioPicker.selectOption('walk-basics');
  await expect(layout.splitter('pt')).toHaveAttribute('aria-valuenow', String(lessonValue));
});
