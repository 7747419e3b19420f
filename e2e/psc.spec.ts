// The paging-structure caches under a core's TLB (lessons walk-psc and lazy-psc-bug): one row per
// cached entry, the PDE-cache hit flashing, INVLPG's flush counted, a freed table marked.
import { expect, test } from './fixtures';

test('walk-psc: the PDE-cache hit flashes; INVLPG empties the caches', async ({ app }) => {
  await app.open('#s=walk-psc&step=0');
  await app.controls.seek(await app.controls.keyMomentStep('Neighbour page: PDE-cache hit, 3 reads skipped'));
  const psc = app.tlb.core(0).getByTestId('psc');
  await expect(psc.getByTestId('psc-row')).toHaveCount(3);
  await expect(psc.locator('[data-testid="psc-row"][data-cache="PDE"]')).toHaveClass(/flash-hit/);
  await expect(psc).toContainText('PDE 1/16');
  await app.controls.seek(await app.controls.keyMomentStep('INVLPG empties the PCID’s PSC entries'));
  await expect(psc.getByTestId('psc-row')).toHaveCount(0);
  await expect(psc).toContainText('flushed 4 entries');
});

test('lazy-psc-bug: the lazy core’s PDE-cache row is marked once its table is freed', async ({ app }) => {
  await app.open('#s=lazy-psc-bug&step=0');
  await app.controls.seek(await app.controls.keyMomentStep("Core 1's PDE cache points at a free frame"));
  const row = app.tlb.core(1).locator('[data-testid="psc-row"][data-cache="PDE"]');
  await expect(row).toHaveClass(/psc-freed/);
  await expect(app.tlb.core(1).getByTestId('psc')).toContainText('freed table');
});

test('a machine without machine.psc shows no PSC section', async ({ app }) => {
  await app.open('#s=walk-basics&step=4');
  await expect(app.tlb.root.getByTestId('psc')).toHaveCount(0);
});
