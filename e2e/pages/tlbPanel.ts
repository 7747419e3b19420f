import type { Locator, Page } from '@playwright/test';

/** The per-core TLB tables. */
export class TlbPanel {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-tlb');
  }

  core(core: number): Locator {
    return this.root.locator(`[data-testid="tlb-core"][data-core="${core}"]`);
  }

  /** The valid entries of a core, optionally only those for one VA page. */
  entries(core: number, va?: string): Locator {
    const sel = va
      ? `[data-testid="tlb-entry"][data-core="${core}"][data-va="${va}"]`
      : `[data-testid="tlb-entry"][data-core="${core}"]`;
    return this.root.locator(sel);
  }

  /** Rows noting an entry that this step invalidated. */
  ghosts(core: number, va: string): Locator {
    return this.root.locator(`[data-testid="tlb-ghost"][data-core="${core}"][data-va="${va}"]`);
  }

  /** The panel's visible state, for comparing two renderings of the same step. */
  async entryKeys(): Promise<string[]> {
    return this.root
      .locator('[data-testid="tlb-entry"]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-core')}:${r.getAttribute('data-va')}`));
  }
}
