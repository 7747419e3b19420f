import { expect, test } from './fixtures';

const VA = '0x7f0000001000';

test('the shootdown IPIs reach cores 1 and 2 only; their TLB entries vanish and come back on Back', async ({
  app,
  page,
}) => {
  // A long walkthrough (dozens of steps, each a worker round trip): more time than the default
  // on a loaded two-core machine.
  test.setTimeout(90_000);
  await app.open();
  const { controls, tlb, ipi } = app;
  const end = await controls.endStep();

  // Run to the step where the initiator sends its IPIs ("Next IPI"), and step on until the arrows
  // are drawn.
  const start = await controls.currentStep();
  await controls.nextIpi.click();
  await expect.poll(() => controls.currentStep()).toBeGreaterThan(start);
  while ((await ipi.arrows.count()) === 0) {
    expect(await controls.currentStep(), 'no IPI before the end').toBeLessThan(end);
    await controls.step();
  }
  // Both remote TLBs still hold the page when the IPIs leave, marked as awaiting their flush.
  await expect(tlb.entries(1, VA)).toHaveCount(1);
  await expect(tlb.entries(2, VA)).toHaveCount(1);
  await expect(tlb.entries(1, VA)).toHaveAttribute('data-status', 'pending');
  await expect(tlb.core(1)).toContainText('flush pending');
  const arrows = await ipi.arrowList();
  expect(arrows.map((a) => a.from)).toEqual(arrows.map(() => 0));
  expect(new Set(arrows.map((a) => a.to))).toEqual(new Set([1, 2]));
  await expect(ipi.root.locator('[data-testid="ipi-arrow"][data-to="3"]')).toHaveCount(0);
  await expect(ipi.root.locator('[data-testid="ipi-arrow"][data-to="0"]')).toHaveCount(0);
  await expect(ipi.coreState(3)).not.toHaveAttribute('data-state', 'interrupt');

  // Step until both remote cores have invalidated the page; each invalidation is noted.
  const goneAt = new Map<number, number>();
  while (goneAt.size < 2) {
    expect(await controls.currentStep(), 'both invalidations before the end').toBeLessThan(end);
    const step = await controls.step();
    for (const core of [1, 2]) {
      if (!goneAt.has(core) && (await tlb.entries(core, VA).count()) === 0) {
        goneAt.set(core, step);
        await expect(tlb.ghosts(core, VA)).toHaveCount(1);
      }
    }
  }
  await expect(tlb.entries(1, VA)).toHaveCount(0);
  await expect(tlb.entries(2, VA)).toHaveCount(0);
  // No IPI ever went to core 3, which runs another process.
  await expect(ipi.root.locator('[data-testid="ipi-arrow"][data-to="3"]')).toHaveCount(0);

  // Going back (button, then the Left key) brings the entries back.
  const before = Math.min(...goneAt.values()) - 1;
  await controls.stepBack();
  while ((await controls.currentStep()) > before) {
    const n = await controls.currentStep();
    await page.keyboard.press('ArrowLeft');
    await controls.expectStep(n - 1);
  }
  await expect(tlb.entries(1, VA)).toHaveCount(1);
  await expect(tlb.entries(2, VA)).toHaveCount(1);
});

test('the page-table panel highlights the walk and marks the cleared PTE', async ({ app }) => {
  await app.open();
  // Core 1 misses and walks the four levels.
  await app.controls.seek(await app.controls.keyMomentStep('Core 1 caches the page'));
  await expect(app.pageTable.walkEntries).toHaveCount(4);
  await expect(app.tlb.entries(1, VA)).toHaveCount(1);
  // The kernel clears the PTE: the cleared entry is still drawn, marked.
  await app.controls.seek(await app.controls.keyMomentStep('T0 clears the PTE'));
  await expect(app.pageTable.changedEntries).toHaveCount(1);
  await expect(app.pageTable.changedEntries).toHaveAttribute('data-kind', 'cleared');
  // T1 reads again: the walk ends at the missing entry.
  await app.controls.nextFault.click();
  await expect(app.pageTable.walkEntries.last()).toHaveAttribute('data-kind', 'missing');
});

test('on the broken kernel, the stale entry to a reused frame is shown in red', async ({ app }) => {
  await app.open('#s=no-shootdown-bug&step=0');
  await app.controls.seek(await app.controls.keyMomentStep("T1 reads process 2's secret"));
  await expect(app.tlb.entries(1, VA)).toHaveAttribute('data-status', 'freed');
  await expect(app.tlb.core(1)).toContainText('freed frame');
  await expect(app.page.getByTestId('panel-log')).toContainText('6210279');
});
