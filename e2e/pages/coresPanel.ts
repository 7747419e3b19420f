import type { Locator, Page } from '@playwright/test';

/** The cores-and-threads panel: one row per core, then the threads not running. */
export class CoresPanel {
  readonly root: Locator;
  readonly rows: Locator;
  readonly idleThreads: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-cores');
    this.rows = this.root.getByTestId('core-row');
    this.idleThreads = this.root.getByTestId('thread');
  }

  row(core: number): Locator {
    return this.root.locator(`[data-testid="core-row"][data-core="${core}"]`);
  }
}
