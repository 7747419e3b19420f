// The machine-image view: its results must be exactly what `vmscope translate` prints for the
// same image (the CLI is run here on the app's built-in example, and on a pasted variant).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_IMAGE_TEXT } from '../src/worker/imageBuiltin';
import { expect, test } from './fixtures';

/** `vmscope translate` on an image text: its `results`, one JSON string per access. */
function cliResults(text: string): string[] {
  const path = join(mkdtempSync(join(tmpdir(), 'vmscope-image-e2e-')), 'image.json');
  writeFileSync(path, text);
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'translate', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vmscope translate failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: unknown[] }).results.map((x) => JSON.stringify(x));
}

test('the picker opens the machine-image view; each step shows what vmscope translate prints', async ({
  app,
}) => {
  const expected = cliResults(EXAMPLE_IMAGE_TEXT);
  await app.open();
  await app.scenarioPicker.selectOption('machine-image');
  await expect(app.image.root).toBeVisible();
  await app.controls.expectStep(0);
  await expect(app.image.regime).toContainText('x86-64, 4-level paging · CR3 0x1000');
  await expect(app.image.accesses).toHaveCount(expected.length);
  await expect.poll(() => app.fragment()).toBe('#image=example&step=0');
  for (const [i, json] of expected.entries()) {
    await app.controls.step();
    await expect(app.image.json).toHaveText(json);
    await expect(app.image.access(i)).toHaveAttribute('data-state', 'now');
    await expect(app.image.access(i)).toHaveAttribute('data-ok', String(JSON.parse(json).ok));
  }
  await expect(app.image.access(1)).toContainText('#PF (protection), error code 0x7 = P W U');
  await app.page.keyboard.press('Home');
  await app.controls.expectStep(0);
  await app.controls.nextFault.click();
  await app.controls.expectStep(2);
});

test('a bad pasted image shows one line and keeps the image; a good one runs', async ({ app }) => {
  await app.open('#image=example&step=2');
  await app.controls.expectStep(2);
  await app.image.paste(EXAMPLE_IMAGE_TEXT.replace('"maxphyaddr": 40', '"maxphyaddr": 64'));
  await expect(app.banner).toContainText('Could not load the pasted machine image: maxphyaddr');
  await expect(app.banner).toContainText('The previous image is still shown.');
  await app.controls.expectStep(2);
  await expect(app.image.input).toContainText('the built-in example');
  await app.image.paste('{"arch": ');
  await expect(app.banner).toContainText('not JSON');

  // The same image with a kernel-only leaf: the user read now faults too.
  const kernelOnly = EXAMPLE_IMAGE_TEXT.replace(/"0x4000": "(0+)0550/, '"0x4000": "$10150');
  expect(kernelOnly).not.toBe(EXAMPLE_IMAGE_TEXT);
  const expected = cliResults(kernelOnly);
  await app.image.paste(kernelOnly);
  await app.controls.expectStep(0);
  await expect(app.banner).toHaveCount(0);
  await expect(app.image.input).toContainText('pasted x86_64 image');
  await expect.poll(() => app.fragment()).toBe('#image=pasted&step=0');
  await app.controls.step();
  await expect(app.image.json).toHaveText(expected[0] as string);
  await expect(app.image.access(0)).toHaveAttribute('data-ok', 'false');
});

test('the page-table tree expands and collapses, with the mouse and the keyboard', async ({ app }) => {
  await app.open('#image=example&step=0');
  const img = app.image;
  await expect(img.treeRoots).toHaveCount(1);
  const cr3 = img.treeRoot('CR3');
  await expect(cr3.getByTestId('tree-root-toggle')).toHaveAttribute('aria-expanded', 'true');
  const pml4 = img.treeTables('PML4');
  await expect(pml4).toContainText('PML4 table at 0x1000');
  // 512 entries, one present: two gap lines around it.
  await expect(pml4.getByTestId('tree-gap')).toHaveText(['entries 0–253 empty', 'entries 255–511 empty']);
  const e254 = img.treeEntry(pml4, 254);
  await expect(e254).toContainText('0x7f0000000000–0x7f7fffffffff');
  await expect(e254).toContainText('→ table at 0x2000');
  await expect(img.treeTables('PDPT')).toHaveCount(0);

  await img.treeToggle(e254).click();
  await expect(img.treeToggle(e254)).toHaveAttribute('aria-expanded', 'true');
  const pdpt = img.treeTables('PDPT');
  await expect(pdpt).toContainText('PDPT table at 0x2000');
  // From the keyboard: Tab to the PDPT entry's button and open it with Enter, the PD's with Space.
  await img.treeToggle(img.treeEntry(pdpt, 0)).focus();
  await app.page.keyboard.press('Enter');
  const pd = img.treeTables('PD');
  await expect(pd).toBeVisible();
  await img.treeToggle(img.treeEntry(pd, 2)).focus();
  await app.page.keyboard.press(' ');
  const leaf = img.treeEntry(img.treeTables('PT'), 1);
  await expect(leaf).toHaveAttribute('data-role', 'leaf');
  await expect(leaf).toContainText('0x7f0000401000–0x7f0000401fff');
  await expect(leaf).toContainText('P US');
  await expect(leaf).toContainText('→ 4 KiB page at 0x5000');
  await app.controls.expectStep(0); // Space on a button did not start playing

  await img.treeToggle(e254).click();
  await expect(img.treeToggle(e254)).toHaveAttribute('aria-expanded', 'false');
  await expect(img.treeTables('PDPT')).toHaveCount(0);
  await cr3.getByTestId('tree-root-toggle').click();
  await expect(img.treeTables('PML4')).toHaveCount(0);
});

/** One little-endian 8-byte entry at `index`, as frame hex. */
function entryHex(index: number, value: bigint): string {
  let hex = '00'.repeat(index * 8);
  for (let b = 0n; b < 8n; b++) hex += ((value >> (8n * b)) & 0xffn).toString(16).padStart(2, '0');
  return hex;
}

test('a pasted ARM64 image shows a tree per TTBR; a bad paste keeps it', async ({ app }) => {
  const arm = JSON.stringify({
    arch: 'arm64',
    granule: '4k',
    t0sz: 16,
    t1sz: 16,
    ttbr0: '0x40080000',
    ttbr1: '0x40090000',
    asid: 0,
    hafdbs: false,
    pan: false,
    wxn: false,
    ips: 5,
    frames: {
      '0x40080000': entryHex(0, 0x4008_1003n), // L0[0] -> L1 at 0x40081000
      '0x40081000': entryHex(1, 0x8000_0441n), // L1[1]: 1 GiB block at 0x80000000, AF, AP=01
    },
    accesses: [{ va: '0x40001234', kind: 'read', el: 0 }],
  });
  await app.open('#image=example&step=0');
  await app.image.paste(arm);
  await expect(app.image.input).toContainText('pasted arm64 image');
  await expect(app.image.treeRoots).toHaveCount(2);
  await expect(app.image.treeRoot('TTBR1_EL1')).toContainText('VAs 0xffff000000000000 to 0xffffffffffffffff');
  await expect(app.image.treeRoot('TTBR1_EL1')).toContainText('not in the image');
  const l0 = app.image.treeRoot('TTBR0_EL1').getByTestId('tree-table').first();
  await app.image.treeToggle(app.image.treeEntry(l0, 0)).click();
  const block = app.image.treeEntry(app.image.treeTables('L1'), 1);
  await expect(block).toHaveAttribute('data-role', 'leaf');
  await expect(block).toContainText('AF AP=01');
  await expect(block).toContainText('→ 1 GiB page at 0x80000000');

  await app.image.paste(arm.replace('"ips":5', '"ips":9'));
  await expect(app.banner).toContainText('Could not load the pasted machine image: ips');
  await expect(app.image.treeRoots).toHaveCount(2);
  await expect(app.image.treeTables('L1')).toBeVisible();
});
