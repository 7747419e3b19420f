import type { Locator, Page } from '@playwright/test';

/** The page-replacement view: the cache-size buttons, FIFO's misses per size, four columns. */
export class PolicyPanel {
  readonly root: Locator;
  readonly input: Locator;
  readonly fifoMisses: Locator;
  readonly columns: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-policy');
    this.input = this.root.getByTestId('policy-input');
    this.fifoMisses = this.root.getByTestId('policy-fifo-misses');
    this.columns = this.root.getByTestId('policy-column');
  }

  /** The column of one policy: FIFO, LRU, OPT or CLOCK. */
  column(policy: string): Locator {
    return this.root.locator(`[data-testid="policy-column"][data-policy="${policy}"]`);
  }

  /** Its rows, one per reference. */
  rows(policy: string): Locator {
    return this.column(policy).getByTestId('policy-row');
  }

  /** The button that sets the cache size. */
  frames(n: number): Locator {
    return this.root.getByTestId(`policy-frames-${n}`);
  }
}
