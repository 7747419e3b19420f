// The OSTEP two-level page-table homework in the browser, checked against the script's own
// solutions (src/scenarios/ostep/fixtures/multilevel/*.solution.txt).
import type { AppPage } from './pages/app';
import { expect, test } from './fixtures';
import { fixtureText, hx, readSolution, type SolvedVa } from './ostepFixtures';

const seed1 = readSolution('seed1.solution.txt');
const seed2 = readSolution('seed2.solution.txt');
const first1 = seed1[0] as SolvedVa;
const PDBR1 = 17; // "PDBR: 17  (decimal)" in seed1.problem.txt
const pdbrOf = (name: string) => Number(/^PDBR: +(\d+)/m.exec(fixtureText(name))?.[1]);

/** Steps through one address with the Step button, checking each read against the solution. */
async function walkFirstVa(app: AppPage, v: SolvedVa, pdbr: number, base: number): Promise<void> {
  const { ostep, controls, log } = app;
  // (a) the split
  await controls.step();
  await ostep.expectVa(v.va);
  await expect(ostep.va).toContainText(hx(v.va, 4));
  await expect(ostep.field('pd')).toHaveAttribute('data-value', String(v.va >> 10));
  await expect(ostep.field('pt')).toHaveAttribute('data-value', String((v.va >> 5) & 0x1f));
  await expect(ostep.field('off')).toHaveAttribute('data-value', String(v.va & 0x1f));
  await expect(ostep.field('pd')).toContainText(hx(v.pde.index));
  await expect(ostep.pde).toHaveCount(0);
  await expect(log.narration).toContainText(`VA ${hx(v.va, 4)} (1 of`);

  // (b) the page-directory entry
  await controls.step();
  await expect(ostep.pde).toHaveAttribute('data-index', String(v.pde.index));
  await expect(ostep.pde).toHaveAttribute('data-page', String(pdbr));
  await expect(ostep.pde).toHaveAttribute('data-value', String(v.pde.value));
  await expect(ostep.pde).toHaveAttribute('data-valid', v.pde.valid ? '1' : '0');
  await expect(ostep.pde).toHaveAttribute('data-pfn', String(v.pde.pfn));
  await expect(ostep.pde).toContainText(hx(v.pde.value, 2));
  await expect(ostep.pde).toContainText(`PFN ${hx(v.pde.pfn, 2)}`);
  await expect(ostep.pageGrid('pd')).toHaveAttribute('data-page', String(pdbr));
  await expect(ostep.byteRead('pd')).toHaveAttribute('data-byte', String(v.pde.index));
  await expect(ostep.byteRead('pd')).toHaveText(v.pde.value.toString(16).padStart(2, '0'));
  await expect(log.narration).toContainText(
    `PDE index ${hx(v.pde.index)} → byte ${v.pde.index} of page ${pdbr} (PDBR): ${hx(v.pde.value, 2)}`,
  );
  expect(v.pde.valid && v.pte?.valid && v.pa, 'the first address of the fixture translates').toBeTruthy();
  const pte = v.pte as NonNullable<SolvedVa['pte']>;
  const pa = v.pa as NonNullable<SolvedVa['pa']>;

  // (c) the page-table entry
  await controls.step();
  await expect(ostep.pte).toHaveAttribute('data-index', String(pte.index));
  await expect(ostep.pte).toHaveAttribute('data-page', String(v.pde.pfn));
  await expect(ostep.pte).toHaveAttribute('data-value', String(pte.value));
  await expect(ostep.pte).toHaveAttribute('data-valid', '1');
  await expect(ostep.pte).toHaveAttribute('data-pfn', String(pte.pfn));
  await expect(ostep.pte).toContainText(hx(pte.value, 2));
  await expect(ostep.pte).toContainText(`PFN ${hx(pte.pfn, 2)}`);
  await expect(ostep.pageGrid('pt')).toHaveAttribute('data-page', String(v.pde.pfn));
  await expect(ostep.byteRead('pt')).toHaveAttribute('data-byte', String(pte.index));
  await expect(log.narration).toContainText(
    `PTE index ${hx(pte.index)} → byte ${pte.index} of page ${v.pde.pfn}`,
  );

  // (d) the physical address and the value
  await controls.step();
  await expect(ostep.pa).toHaveAttribute('data-pa', String(pa.pa));
  await expect(ostep.pa).toHaveAttribute('data-value', String(pa.value));
  await expect(ostep.pa).toContainText(hx(pa.pa, 3));
  await expect(ostep.pa).toContainText(`value = ${hx(pa.value, 2)}`);
  await expect(ostep.pageGrid('data')).toHaveAttribute('data-page', String(pte.pfn));
  await expect(ostep.byteRead('data')).toHaveAttribute('data-byte', String(v.va & 0x1f));
  await expect(ostep.byteRead('data')).toHaveText(pa.value.toString(16).padStart(2, '0'));
  await expect(ostep.result).toHaveText(`${hx(v.va, 4)} → PA ${hx(pa.pa, 3)}, value ${hx(pa.value, 2)}`);
  await expect(log.narration).toContainText(
    `= ${hx(pa.pa, 3)}: byte ${v.va & 0x1f} of page ${pte.pfn} holds ${hx(pa.value, 2)}`,
  );
  await controls.expectStep(base + 4);
}

test('the picker opens the OSTEP homework; stepping the first address of seed 1 matches the solution', async ({
  app,
}) => {
  await app.open();
  await app.scenarioPicker.selectOption('ostep-multilevel');
  await expect(app.ostep.root).toBeVisible();
  await expect(app.scenarioTitle).toHaveText('OSTEP homework: two-level page table');
  await app.controls.expectStep(0);
  await expect(app.ostep.problem).toContainText('seed 1 (built in)');
  await expect(app.ostep.problem).toContainText(`PDBR = page ${PDBR1}`);
  await expect(app.log.narration).toContainText('Press Step');
  await expect.poll(() => app.fragment()).toBe('#ostep=seed1&step=0');
  // The scenario panels and the IPI jump are not part of this lesson.
  await expect(app.pageTable.root).toHaveCount(0);
  await expect(app.controls.nextIpi).toHaveCount(0);

  await walkFirstVa(app, first1, PDBR1, 0);
  await expect.poll(() => app.fragment()).toBe('#ostep=seed1&step=4');
  await expect(app.ostep.answers.first()).toHaveAttribute('data-state', 'done');
  await expect(app.ostep.answers.first()).toContainText(hx(first1.va, 4));

  // Back goes through the same reads in reverse.
  await app.controls.stepBack();
  await expect(app.ostep.pa).toHaveCount(0);
  await expect(app.ostep.pte).toHaveAttribute('data-value', String(first1.pte?.value));
});

test('Next fault stops at an invalid entry with the script words', async ({ app }) => {
  await app.open('#ostep=seed1&step=0');
  const firstFault = seed1.findIndex((v) => v.fault !== null);
  const v = seed1[firstFault] as SolvedVa;
  await app.controls.nextFault.click();
  await app.ostep.expectVa(v.va);
  await expect(app.ostep.fault).toHaveText(v.fault as string);
  await expect(app.ostep.result).toHaveText(`${hx(v.va, 4)} → ${v.fault}`);
  await expect(app.ostep.pa).toHaveCount(0);
});

test('a bad paste shows the parser error and keeps the problem and step; a good one loads', async ({
  app,
}) => {
  await app.open('#ostep=seed1&step=3');
  await app.ostep.expectVa(first1.va);
  const bad = fixtureText('seed2.problem.txt').replace('page   5:', 'page   5;');
  await app.ostep.paste(bad);
  await expect(app.banner).toBeVisible();
  await expect(app.banner).toContainText('Could not load the pasted problem: line 10: expected "page   5:"');
  await expect(app.banner).toContainText('The previous problem is still shown.');
  await app.controls.expectStep(3);
  await app.ostep.expectVa(first1.va);
  await expect(app.ostep.problem).toContainText('seed 1 (built in)');
  await expect(app.ostep.pte).toHaveAttribute('data-value', String(first1.pte?.value));

  // The good one: seed 2 from step 0, and its first address as its solution says.
  await app.ostep.paste(fixtureText('seed2.problem.txt'));
  await app.controls.expectStep(0);
  await expect(app.banner).toHaveCount(0);
  await expect(app.ostep.problem).toContainText('pasted problem (seed 2)');
  await expect(app.ostep.problem).toContainText('not in the link');
  await expect(app.ostep.pasteText).toHaveCount(0);
  await expect.poll(() => app.fragment()).toBe('#ostep=pasted&step=0');
  const first2 = seed2[0] as SolvedVa;
  await app.controls.step();
  await app.ostep.expectVa(first2.va);
  await app.controls.step();
  await expect(app.ostep.pde).toHaveAttribute('data-value', String(first2.pde.value));
  await expect(app.ostep.pde).toHaveAttribute('data-page', String(pdbrOf('seed2.problem.txt')));
  await expect(app.ostep.pde).toContainText(`PFN ${hx(first2.pde.pfn, 2)}`);

  // Back to the built-in problem.
  await app.ostep.builtinButton.click();
  await app.controls.expectStep(0);
  await expect(app.ostep.problem).toContainText('seed 1 (built in)');
});

test('Right / Left step, Home / End go to the ends, Shift+Right jumps to the next address', async ({
  app,
  page,
}) => {
  await app.open('#ostep=seed1&step=0');
  await page.keyboard.press('ArrowRight');
  await app.controls.expectStep(1);
  await app.ostep.expectVa(first1.va);
  await page.keyboard.press('ArrowRight');
  await app.controls.expectStep(2);
  await expect(app.ostep.pde).toHaveAttribute('data-value', String(first1.pde.value));
  await page.keyboard.press('ArrowLeft');
  await app.controls.expectStep(1);
  await expect(app.ostep.pde).toHaveCount(0);
  await page.keyboard.press('Shift+ArrowRight');
  await app.controls.expectStep(5);
  await app.ostep.expectVa((seed1[1] as SolvedVa).va);
  await page.keyboard.press('End');
  await app.controls.expectStep(await app.controls.endStep());
  await expect(app.ostep.answers.last()).toHaveAttribute('data-state', 'done');
  await page.keyboard.press('Home');
  await app.controls.expectStep(0);

  // Typing in the paste box does not step.
  await app.ostep.pasteOpen.click();
  await app.ostep.pasteText.focus();
  await page.keyboard.press('ArrowRight');
  await app.controls.expectStep(0);
});

test('the permalink opens the OSTEP problem at its step, and a reload keeps it', async ({ app, page }) => {
  await app.open('#ostep=seed1&step=4');
  await app.controls.expectStep(4);
  await expect(app.ostep.pa).toHaveAttribute('data-pa', String(first1.pa?.pa));
  await expect(app.banner).toHaveCount(0);
  await page.reload();
  await app.controls.expectStep(4);
  await expect(app.ostep.pa).toHaveAttribute('data-value', String(first1.pa?.value));
});

for (const [what, fragment, says] of [
  ['an unknown problem', '#ostep=seed9&step=2', /OSTEP problem "seed9" is not built in/],
  ['a bad step', '#ostep=seed1&step=-4', /step "-4"/],
  ['a pasted problem', '#ostep=pasted&step=3', /pasted OSTEP problem is not stored in links/],
] as const) {
  test(`${what} in an OSTEP link shows the banner and opens the built-in problem at step 0`, async ({
    app,
  }) => {
    await app.open(fragment);
    await expect(app.banner).toContainText(says);
    await expect(app.banner).toContainText('built-in OSTEP problem (seed1)');
    await app.controls.expectStep(0);
    await expect(app.ostep.problem).toContainText('seed 1 (built in)');
    await app.controls.step();
    await expect.poll(() => app.fragment()).toBe('#ostep=seed1&step=1');
  });
}

test('the picker goes back from the OSTEP lesson to a scenario', async ({ app }) => {
  await app.open('#ostep=seed1&step=2');
  await app.scenarioPicker.selectOption('munmap-shootdown');
  await app.controls.expectStep(0);
  await expect(app.ostep.root).toHaveCount(0);
  await expect(app.pageTable.root).toBeVisible();
  await expect.poll(() => app.fragment()).toBe('#s=munmap-shootdown&step=0');
});
