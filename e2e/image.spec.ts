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
