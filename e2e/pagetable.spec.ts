// The page-table tree: pan and zoom (buttons, keys), collapsing tables, folded empty ranges, and
// the app's step keys still working around it.
import { expect, test } from './fixtures';

// Each test takes several steps and interactions; the machine running the suite may be busy.
test.describe.configure({ timeout: 90_000 });

test('zoom buttons change the scale, fit restores it, and the zoom survives a step', async ({ app }) => {
  await app.open('#s=walk-basics&step=3');
  const pt = app.pageTable;
  await expect(pt.walkEntries).toHaveCount(4);
  const fitted = await pt.scale();
  expect(fitted).toBeGreaterThan(0);
  await pt.zoomIn.click();
  await expect.poll(() => pt.scale()).toBeGreaterThan(fitted * 1.2);
  const zoomed = await pt.scale();
  await pt.zoomOut.click();
  await expect.poll(() => pt.scale()).toBeLessThan(zoomed);
  await pt.zoomIn.click();
  await expect.poll(() => pt.scale()).toBeCloseTo(zoomed, 2);
  // A step keeps the chosen zoom (only the pan may follow the walk).
  await app.controls.step();
  await expect(pt.table(1)).toBeAttached();
  expect(await pt.scale()).toBeCloseTo(zoomed, 2);
  await pt.fit.click();
  await expect.poll(() => pt.scale()).toBeCloseTo(fitted, 2);
});

test('keys: + - 0 and arrows act on the focused tree; Esc and the rest of the page step', async ({
  app,
  page,
}) => {
  await app.open('#s=walk-basics&step=3');
  const pt = app.pageTable;
  await expect(pt.walkEntries).toHaveCount(4);
  const fitted = await pt.scale();
  await pt.viewport.focus();
  await page.keyboard.press('+');
  await expect.poll(() => pt.scale()).toBeGreaterThan(fitted);
  const before = await pt.zoomGroup.getAttribute('transform');
  await page.keyboard.press('ArrowRight');
  // The arrow panned the tree and did not step.
  await expect(pt.zoomGroup).not.toHaveAttribute('transform', before ?? '');
  await app.controls.expectStep(3);
  await page.keyboard.press('0');
  await expect.poll(() => pt.scale()).toBeCloseTo(fitted, 2);
  // Esc hands the arrow keys back to stepping.
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowRight');
  await app.controls.expectStep(4);
  // After using the tree with the mouse, the arrows still step.
  await pt.zoomIn.click();
  await pt.fit.click();
  await pt.head(4).click();
  await expect(pt.tables).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  await app.controls.expectStep(5);
  await page.keyboard.press('ArrowLeft');
  await app.controls.expectStep(4);
});

test('a table collapses and expands by click and by keyboard, and says what it hides', async ({
  app,
  page,
}) => {
  await app.open('#s=walk-basics&step=3');
  const pt = app.pageTable;
  await expect(pt.tables).toHaveCount(4);
  const head = pt.head(4);
  await expect(head).toHaveAttribute('aria-expanded', 'true');
  await head.click();
  await expect(pt.tables).toHaveCount(1);
  await expect(pt.table(4)).toHaveAttribute('data-collapsed', 'true');
  await expect(pt.root.getByTestId('pt-hidden')).toContainText('3 tables, 1 page below');
  await head.click();
  await expect(pt.tables).toHaveCount(4);
  // Keyboard: Enter and Space toggle the focused head; Space does not start playing.
  await head.focus();
  await page.keyboard.press('Enter');
  await expect(pt.tables).toHaveCount(1);
  await expect(head).toBeFocused();
  await page.keyboard.press('Space');
  await expect(pt.tables).toHaveCount(4);
  await expect(app.controls.playButton).toContainText('Play');
  await app.controls.expectStep(3);
});

test('an empty range is one row that lists its entries when opened', async ({ app, page }) => {
  await app.open('#s=segfault&step=15');
  await app.page.getByLabel('Process whose page table is shown').selectOption('2');
  const pt = app.pageTable;
  // Process 2's PML4 uses slots 254 and 511: the 256 empty slots between them are one row.
  const gap = pt.table(4).locator('[data-kind="gap"]');
  await expect(gap).toHaveCount(1);
  await expect(gap).toHaveAttribute('data-index', '255');
  await expect(gap).toHaveAttribute('data-last', '510');
  await gap.click();
  const fold = pt.table(4).locator('[data-kind="fold"]');
  await expect(fold).toHaveCount(1);
  // Listed, but only the rows in view are drawn.
  const shown = await pt.table(4).locator('[data-kind="empty"]').count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(256);
  await fold.focus();
  await page.keyboard.press('Enter');
  await expect(pt.table(4).locator('[data-kind="gap"]')).toHaveCount(1);
  await expect(pt.table(4).locator('[data-kind="empty"]')).toHaveCount(0);
});

test('on stress-16 the snapshot carries one tree; choosing another process brings its tables', async ({
  app,
  page,
}) => {
  await app.open('#s=stress-16&step=2000');
  const pt = app.pageTable;
  const pick = pt.root.getByRole('combobox', { name: 'Process whose page table is shown' });
  await expect(pt.tables.first()).toBeAttached();
  const auto = await pick.locator('option').first().textContent();
  // A process other than the one followed: its tree arrives from the worker with a new snapshot.
  const other = (await pick.locator('option').allTextContents()).find(
    (t, i) => i > 0 && !(auto ?? '').startsWith(t.trim()),
  );
  expect(other).toBeDefined();
  const pid = /process (\d+)/.exec(other ?? '')?.[1] ?? '';
  await pick.selectOption(pid);
  await expect(pt.root.getByTestId('pt-caption')).not.toContainText('Fetching');
  await expect.poll(async () => pt.tables.count()).toBeGreaterThan(1);
  // Stepping keeps the chosen process's tree.
  await app.controls.step();
  await app.controls.expectStep(2001);
  await expect(pt.root.getByTestId('pt-caption')).not.toContainText('Fetching');
  void page;
});

test('a tree that branches is stacked in the narrow column and shown whole; a chain keeps its levels', async ({
  app,
}) => {
  await app.open('#s=lazy-tlb&step=20');
  const svg = app.pageTable.root.getByTestId('pt-svg');
  await expect(svg).toHaveAttribute('data-layout', 'stacked');
  // Two page tables under one PD: five tables, every one inside the panel's view.
  await expect(app.pageTable.tables).toHaveCount(5);
  const view = await svg.boundingBox();
  if (!view) throw new Error('no tree view');
  for (const t of await app.pageTable.tables.all()) {
    const b = await t.boundingBox();
    if (!b) throw new Error('a table is not drawn');
    expect(b.x).toBeGreaterThanOrEqual(view.x);
    expect(b.x + b.width).toBeLessThanOrEqual(view.x + view.width);
    expect(b.y).toBeGreaterThanOrEqual(view.y);
    expect(b.y + b.height).toBeLessThanOrEqual(view.y + view.height);
  }
  expect(await app.pageTable.scale()).toBeGreaterThan(0.6);
  await app.open('#s=walk-basics&step=3');
  await expect(svg).toHaveAttribute('data-layout', 'levels');
});
