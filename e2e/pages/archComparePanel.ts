import type { Locator, Page } from '@playwright/test';

/** Lesson 3, arch-compare: the access form, the program's steps and the four MMU columns. */
export class ArchComparePanel {
  readonly root: Locator;
  readonly columns: Locator;
  readonly va: Locator;
  readonly kind: Locator;
  readonly priv: Locator;
  readonly show: Locator;
  readonly error: Locator;
  readonly steps: Locator;
  readonly probe: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-arch');
    this.columns = this.root.getByTestId('arch-column');
    this.va = this.root.getByTestId('arch-va');
    this.kind = this.root.getByTestId('arch-kind');
    this.priv = this.root.getByTestId('arch-priv');
    this.show = this.root.getByTestId('arch-show');
    this.error = this.root.getByTestId('arch-error');
    this.steps = this.root.getByTestId('arch-step');
    this.probe = this.root.getByTestId('arch-probe');
  }

  /** One MMU's column: x86_64-4, x86_64-5, riscv64-sv39 or arm64-4k. */
  column(arch: string): Locator {
    return this.root.locator(`[data-testid="arch-column"][data-arch="${arch}"]`);
  }

  /** A column's VA field by name (PML4, VPN[2], L0, offset ...). */
  field(arch: string, name: string): Locator {
    return this.column(arch).locator(`[data-testid="arch-field"][data-name="${name}"]`);
  }

  outcome(arch: string): Locator {
    return this.column(arch).getByTestId('arch-outcome');
  }

  entries(arch: string): Locator {
    return this.column(arch).getByTestId('arch-entry');
  }

  /** Types a VA (and optionally the access and mode) and presses Translate. */
  async translate(va: string, kind?: string, priv?: string): Promise<void> {
    await this.va.fill(va);
    if (kind) await this.kind.selectOption(kind);
    if (priv) await this.priv.selectOption(priv);
    await this.show.click();
  }
}
