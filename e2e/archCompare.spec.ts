// Lesson 3, arch-compare: one access on four MMUs side by side. The columns must agree with
// `vmscope run arch-compare` for the same access (the CLI is run here), a typed VA updates all
// four, and a bad one is refused with a one-line error while the shown access stays.
import { spawnSync } from 'node:child_process';
import { expect, test } from './fixtures';

const ARCHES = ['x86_64-4', 'x86_64-5', 'riscv64-sv39', 'arm64-4k'];

interface CliColumn {
  arch: string;
  pattern: string;
  outcome: { ok: boolean; pa?: string; fault?: string };
}

/** `vmscope run arch-compare --json` for one access: the four columns as the CLI computes them. */
function cli(va: string, kind: string, priv: string): CliColumn[] {
  const r = spawnSync(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'run', 'arch-compare', '--va', va, '--kind', kind, '--priv', priv, '--json'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`vmscope run arch-compare failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { columns: CliColumn[] }).columns;
}

async function expectColumnsLike(app: import('./pages/app').AppPage, expected: CliColumn[]) {
  for (const c of expected) {
    await expect(app.arch.column(c.arch).getByTestId('arch-pattern')).toHaveText(c.pattern);
    const outcome = app.arch.outcome(c.arch);
    await expect(outcome).toHaveAttribute('data-ok', String(c.outcome.ok));
    await expect(outcome).toContainText(c.outcome.ok ? `PA ${c.outcome.pa}` : (c.outcome.fault as string));
  }
}

test('the picker opens four columns; they show what vmscope run arch-compare prints', async ({ app }) => {
  await app.open();
  await app.scenarioPicker.selectOption('arch-compare');
  await expect(app.arch.columns).toHaveCount(4);
  for (const arch of ARCHES) await expect(app.arch.column(arch)).toBeVisible();
  await expect.poll(() => app.fragment()).toBe('#arch=compare&va=0x602010&kind=read&priv=user&step=0');
  await expectColumnsLike(app, cli('0x602010', 'read', 'user'));
  // The same mapping on all four: the same PA, after 4, 5, 3 and 4 entries.
  for (const [arch, n] of [
    ['x86_64-4', 4],
    ['x86_64-5', 5],
    ['riscv64-sv39', 3],
    ['arm64-4k', 4],
  ] as const) {
    await expect(app.arch.entries(arch)).toHaveCount(n);
    await expect(app.arch.outcome(arch)).toContainText('PA 0x2c010');
  }
});

test('a typed VA updates all four columns and the link; a bad one keeps them', async ({ app }) => {
  await app.open('#arch=compare&va=0x602010&kind=read&priv=user&step=0');
  await expect(app.arch.columns).toHaveCount(4);
  await app.arch.translate('0x503008', 'write');
  await expect.poll(() => app.fragment()).toBe('#arch=compare&va=0x503008&kind=write&priv=user&step=0');
  await expectColumnsLike(app, cli('0x503008', 'write', 'user'));
  await expect(app.arch.outcome('x86_64-4')).toContainText('error code 0x7 (P W U)');
  await expect(app.arch.outcome('riscv64-sv39')).toContainText('scause 15');
  await expect(app.arch.outcome('arm64-4k')).toContainText('permission fault, level 3');
  await expect(app.arch.field('x86_64-4', 'PT')).toContainText('259');
  await expect(app.arch.field('riscv64-sv39', 'VPN[0]')).toContainText('259');
  await expect(app.arch.field('arm64-4k', 'L3')).toContainText('259');

  // 17 hex digits: more than 64 bits.
  await app.arch.translate('12345678901234567');
  await expect(app.arch.error).toContainText('va: expected a hex address');
  await expect(app.arch.va).toHaveAttribute('aria-invalid', 'true');
  await expect(app.arch.probe).toHaveText('user write 0x503008');
  await expect(app.arch.outcome('x86_64-4')).toContainText('error code 0x7');
  expect(await app.fragment()).toBe('#arch=compare&va=0x503008&kind=write&priv=user&step=0');
  await app.arch.translate('0x50g008');
  await expect(app.arch.error).toContainText('va: expected a hex address');
  await expect(app.arch.probe).toHaveText('user write 0x503008');

  // A kernel address: ARM walks from TTBR1, the others from the same root as before.
  await app.arch.translate('ffffffc000201000', 'read', 'kernel');
  await expect(app.arch.error).toHaveCount(0);
  await expect(app.arch.column('arm64-4k').getByTestId('arch-upper')).toContainText('TTBR1_EL1');
  for (const arch of ARCHES) await expect(app.arch.outcome(arch)).toContainText('PA 0x2e000');
});

test('stepping walks the program; a bad link falls back with a banner', async ({ app }) => {
  await app.open('#arch=compare&va=0x602010&kind=read&priv=user&step=0');
  await app.controls.step();
  await expect(app.arch.probe).toHaveText('user fetch 0x401040');
  await expect(app.arch.steps.nth(1)).toHaveAttribute('aria-current', 'step');
  await app.controls.nextFault.click();
  await app.controls.expectStep(4);
  await expect(app.arch.outcome('arm64-4k')).toHaveAttribute('data-ok', 'false');
  await app.arch.steps.nth(0).click();
  await app.controls.expectStep(0);
  await expect(app.arch.probe).toHaveText('user read 0x602010');

  await app.open('#arch=compare&va=0xnothex&kind=read&priv=user&step=0');
  await expect(app.banner).toContainText('is not a hex address');
  await expect(app.arch.probe).toHaveText('user read 0x602010');
});
