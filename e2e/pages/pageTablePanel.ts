import type { Locator, Page } from '@playwright/test';

/** The page-table tree. */
export class PageTablePanel {
  readonly root: Locator;
  readonly tables: Locator;
  readonly walkEntries: Locator;
  readonly changedEntries: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-pagetable');
    this.tables = this.root.getByTestId('pt-table');
    this.walkEntries = this.root.locator('[data-testid="pt-entry"][data-walk="true"]');
    this.changedEntries = this.root.locator('[data-testid="pt-entry"][data-changed="true"]');
  }

  /** Level and index of every drawn entry, for comparing two renderings of the same step. */
  async entryKeys(): Promise<string[]> {
    return this.root
      .getByTestId('pt-entry')
      .evaluateAll((rows) =>
        rows.map(
          (r) =>
            `${r.getAttribute('data-level')}[${r.getAttribute('data-index')}]:${r.getAttribute('data-kind')}${
              r.getAttribute('data-walk') ? ':walk' : ''
            }`,
        ),
      );
  }
}
