import type { Locator, Page } from '@playwright/test';

/** The page-table tree. */
export class PageTablePanel {
  readonly root: Locator;
  readonly tables: Locator;
  readonly walkEntries: Locator;
  readonly changedEntries: Locator;
  /** The pan/zoom group: data-k is the zoom scale, transform the whole transform. */
  readonly zoomGroup: Locator;
  readonly viewport: Locator;
  readonly zoomIn: Locator;
  readonly zoomOut: Locator;
  readonly fit: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-pagetable');
    this.tables = this.root.getByTestId('pt-table');
    this.walkEntries = this.root.locator('[data-testid="pt-entry"][data-walk="true"]');
    this.changedEntries = this.root.locator('[data-testid="pt-entry"][data-changed="true"]');
    this.zoomGroup = this.root.getByTestId('pt-zoom');
    this.viewport = this.root.getByTestId('pt-viewport');
    this.zoomIn = this.root.getByRole('button', { name: 'Zoom in' });
    this.zoomOut = this.root.getByRole('button', { name: 'Zoom out' });
    this.fit = this.root.getByRole('button', { name: 'Fit the tree' });
  }

  async scale(): Promise<number> {
    return Number(await this.zoomGroup.getAttribute('data-k'));
  }

  /** The table box drawn for a level (the first one, when there are several). */
  table(level: number): Locator {
    return this.tables.and(this.page.locator(`[data-level="${level}"]`)).first();
  }

  /** A table's head: a button when the table has child tables. */
  head(level: number): Locator {
    return this.table(level).getByTestId('pt-head');
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
