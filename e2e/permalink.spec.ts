import { expect, test } from './fixtures';

test('reloading lands on the same step with the same panels', async ({ app, page }) => {
  await app.open();
  const historyLength = await page.evaluate(() => window.history.length);
  await app.controls.nextIpi.click();
  // The counter moves when the worker's reply arrives, not on the click.
  await expect.poll(() => app.controls.currentStep()).toBeGreaterThan(0);
  await app.controls.step();
  const n = await app.controls.step();
  await expect.poll(() => app.fragment()).toBe(`#s=munmap-shootdown&step=${n}`);
  // replaceState: stepping does not add history entries.
  expect(await page.evaluate(() => window.history.length)).toBe(historyLength);

  const before = {
    tlb: await app.tlb.entryKeys(),
    pt: await app.pageTable.entryKeys(),
    ipi: await app.ipi.arrowList(),
    events: await app.log.eventTypes(),
    narration: await app.log.narration.innerText(),
  };
  await page.reload();
  await app.controls.expectStep(n);
  expect(await app.tlb.entryKeys()).toEqual(before.tlb);
  expect(await app.pageTable.entryKeys()).toEqual(before.pt);
  expect(await app.ipi.arrowList()).toEqual(before.ipi);
  expect(await app.log.eventTypes()).toEqual(before.events);
  expect(await app.log.narration.innerText()).toBe(before.narration);
  await expect(app.banner).toHaveCount(0);
});

test('a link opens at its step', async ({ app }) => {
  await app.open('#s=munmap-shootdown&step=20');
  await app.controls.expectStep(20);
  await expect(app.scenarioTitle).toHaveText('munmap and the TLB shootdown');
  await expect(app.log.root.getByRole('heading', { name: 'Step 20' })).toBeVisible();
  await expect(app.controls.scrubber).toHaveValue('20');
  await expect(app.banner).toHaveCount(0);
  expect(await app.fragment()).toBe('#s=munmap-shootdown&step=20');

  // A link pasted into the same tab (only the fragment changes) is followed too.
  await app.page.evaluate(() => {
    window.location.hash = '#s=munmap-shootdown&step=7';
  });
  await app.controls.expectStep(7);
});

for (const [what, fragment, says] of [
  ['a bad step', '#s=nope&step=abc', /could not be opened.*"abc"/],
  ['an unknown scenario', '#s=nope&step=3', /"nope"/],
  ['an over-long link', `#s=${'a'.repeat(300)}&step=1`, /longer than 200/],
] as const) {
  test(`${what} shows a readable banner and the default scenario still works`, async ({ app }) => {
    await app.open(fragment);
    await expect(app.banner).toBeVisible();
    await expect(app.banner).toContainText(says);
    await expect(app.banner).toContainText('munmap-shootdown');
    await app.controls.expectStep(0);
    await expect(app.scenarioTitle).toHaveText('munmap and the TLB shootdown');
    await app.controls.step();
    await expect.poll(() => app.fragment()).toBe('#s=munmap-shootdown&step=1');
    await app.banner.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(app.banner).toHaveCount(0);
  });
}

test('the scenario picker opens another lesson at step 0 and the link follows', async ({ app }) => {
  await app.open('#s=munmap-shootdown&step=5');
  const ids = await app.scenarioPicker
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const other = ids.find((id) => id !== 'munmap-shootdown');
  expect(other, 'the picker offers another lesson').toBeDefined();
  await app.scenarioPicker.selectOption(other as string);
  await app.controls.expectStep(0);
  await expect.poll(() => app.fragment()).toBe(`#s=${other}&step=0`);
  await expect(app.scenarioTitle).not.toHaveText('munmap and the TLB shootdown');
  await app.page.keyboard.press('ArrowRight');
  await app.controls.expectStep(1);
});

test("a link opened just after a step is followed: the step's waiting URL write does not undo it", async ({
  app,
  page,
}) => {
  await app.open('#s=munmap-shootdown&step=3');
  await app.controls.expectStep(3);
  // In one go in the page, so the step's URL write is still waiting: click Step, and as soon as
  // the step shows, the fragment changes with its hashchange not yet delivered (as a goto or a
  // pasted link can arrive): replaceState changes it without the event.
  await page.evaluate(async () => {
    const counter = document.querySelector('[data-testid="step-counter"]') as HTMLElement;
    (document.querySelector('[data-testid="btn-step"]') as HTMLButtonElement).click();
    while (counter.textContent !== '4') await new Promise((r) => setTimeout(r, 1));
    window.history.replaceState(null, '', '#s=copy-on-write');
  });
  // Past the write's delay: the write must leave the new fragment alone.
  await page.waitForTimeout(400);
  expect(await app.fragment()).toBe('#s=copy-on-write');
  // Its hashchange arrives: the lesson opens, and the link follows it.
  await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  await expect(app.scenarioTitle).toContainText('copy-on-write');
  await app.controls.expectStep(0);
  await expect.poll(() => app.fragment()).toBe('#s=copy-on-write&step=0');
});

test('a link followed and the page left at once: the new link stays in the URL', async ({ app, page }) => {
  await app.open('#s=munmap-shootdown&step=3');
  await app.controls.expectStep(3);
  // In one go in the page: a step (its URL write waits), then a link (the hashchange runs), then
  // the page is left (as by a reload) before the link's step has arrived from the worker.
  const hash = await page.evaluate(async () => {
    const counter = document.querySelector('[data-testid="step-counter"]') as HTMLElement;
    (document.querySelector('[data-testid="btn-step"]') as HTMLButtonElement).click();
    while (counter.textContent !== '4') await new Promise((r) => setTimeout(r, 1));
    const changed = new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    window.location.hash = '#s=munmap-shootdown&step=10';
    await changed;
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    return window.location.hash;
  });
  expect(hash).toBe('#s=munmap-shootdown&step=10');
  await app.controls.expectStep(10);
});

// Snapshots after the first travel as changes to what the page already holds (page-table patches,
// frame-list patches: src/worker/protocol.ts). Stepping through a fork, its copy-on-write faults
// and the frames they take must end on exactly what the same step shows when opened afresh.
test('a step reached by stepping shows the same tree and frames as the step opened by its link', async ({
  app,
  page,
}) => {
  // Forty steps and five fresh loads: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  await app.open('#s=copy-on-write');
  const end = await app.controls.endStep();
  const tree = () => app.pageTable.root.getByTestId('pt-svg').textContent();
  const seen: { step: number; tree: string | null; frames: unknown }[] = [];
  for (let n = 1; n <= end; n++) {
    await app.controls.step();
    if (n % 8 === 0 || n === end) seen.push({ step: n, tree: await tree(), frames: await app.frames.list() });
  }
  expect(seen.length).toBeGreaterThan(3);
  expect(seen.every((s) => Array.isArray(s.frames) && s.frames.length > 0)).toBe(true);
  // Something changed along the way, so the comparison is not of one picture with itself.
  expect(new Set(seen.map((s) => s.tree)).size).toBeGreaterThan(1);
  for (const s of seen) {
    await page.goto(`/#s=copy-on-write&step=${s.step}`);
    await page.reload();
    await app.controls.expectStep(s.step);
    await expect.poll(tree).toBe(s.tree);
    expect(await app.frames.list()).toEqual(s.frames);
  }
});
