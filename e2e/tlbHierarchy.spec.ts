// The TLB panel with a real hierarchy (lesson tlb-hierarchy, the skylake preset): one labelled
// section per level, the STLB hit and its L1 refill flagged in their own level, big levels
// folded until opened.
import { expect, test } from './fixtures';

const PAGE0 = '0x7f0000000000';

test('a Skylake core shows its L1i, L1d and L2 TLBs; an STLB hit refills the L1 dTLB', async ({ app }) => {
  await app.open('#s=tlb-hierarchy&step=0');
  await app.controls.seek(await app.controls.keyMomentStep('Page 0 again: L1 miss, STLB hit, no walk'));
  const core = app.tlb.core(0);
  const level = (label: string) => core.locator(`[data-testid="tlb-level"][data-level="${label}"]`);
  await expect(core.locator('[data-testid="tlb-level"]')).toHaveCount(3);
  await expect(level('L1i')).toContainText('4K 0/128');
  await expect(level('L1d')).toContainText('4K 64/64');
  await expect(level('L2')).toContainText('4K+2M 80/1536');
  // The page sits in both levels: hit in the STLB, copied (new) into the L1 dTLB.
  const copy = (label: string) => level(label).locator(`[data-testid="tlb-entry"][data-va="${PAGE0}"]`);
  await expect(copy('L2')).toHaveClass(/flash-hit/);
  await expect(copy('L1d')).toHaveClass(/flash-fill/);
  // The L1 copy pushed another page out of the L1 dTLB.
  await expect(level('L1d').locator('[data-testid="tlb-evicted"]')).toHaveCount(1);
  // Folded: a few rows per level, all of them on request.
  const l2Rows = level('L2').locator('[data-testid="tlb-entry"]');
  expect(await l2Rows.count()).toBeLessThan(10);
  await level('L2')
    .getByRole('button', { name: /show \d+ more/ })
    .click();
  await expect(l2Rows).toHaveCount(80);
  await level('L2').getByRole('button', { name: 'show fewer' }).click();
  expect(await l2Rows.count()).toBeLessThan(10);
});

test('a one-array TLB looks as before: no level sections', async ({ app }) => {
  await app.open('#s=walk-basics&step=4');
  await expect(app.tlb.root.locator('[data-testid="tlb-level"]')).toHaveCount(0);
  await expect(app.tlb.entries(0)).toHaveCount(1);
});
