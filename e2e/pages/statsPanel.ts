import type { Locator, Page } from '@playwright/test';

/** The statistics panel: totals, cycles per core, charts over the last steps. */
export class StatsPanel {
  readonly root: Locator;
  readonly tlbChart: Locator;
  readonly ipiChart: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-stats');
    this.tlbChart = this.root.getByTestId('chart-tlb');
    this.ipiChart = this.root.getByTestId('chart-ipi');
  }

  /** A total's tile: hits, misses, rate, faults, ipis, invalidations, violations. */
  tile(name: string): Locator {
    return this.root.getByTestId(`stat-${name}`);
  }

  async value(name: string): Promise<number> {
    return Number(await this.tile(name).getAttribute('data-value'));
  }
}
