import { expect, type Locator, type Page } from '@playwright/test';

/** The protocol comparison: the workload and protocol choices, the table, the two charts. */
export class ComparePanel {
  readonly root: Locator;
  /** The panel once a comparison has arrived from the worker. */
  readonly ready: Locator;
  readonly scenario: Locator;
  readonly rows: Locator;
  readonly narration: Locator;
  readonly coreCharts: Locator;
  readonly curve: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-compare');
    this.ready = page.locator('[data-testid="panel-compare"][data-ready="true"]');
    this.scenario = this.root.getByTestId('compare-scenario');
    this.rows = this.root.getByTestId('compare-row');
    this.narration = this.root.getByTestId('compare-narration');
    this.coreCharts = this.root.getByTestId('compare-core-chart');
    this.curve = this.root.getByTestId('compare-curve');
  }

  /** Opens the app at a comparison link and waits for the runs (they take a moment). */
  async open(fragment: string): Promise<void> {
    await this.page.goto(`/${fragment}`);
    await expect(this.ready).toBeVisible({ timeout: 20_000 });
  }

  /** The protocols shown, top to bottom. */
  async protocols(): Promise<string[]> {
    return this.rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-protocol') ?? ''));
  }

  row(protocol: string): Locator {
    return this.root.locator(`[data-testid="compare-row"][data-protocol="${protocol}"]`);
  }

  /** One number of the table, e.g. cell('linux-x86', 'ipisSent'). */
  cell(protocol: string, metric: string): Locator {
    return this.row(protocol).locator(`td[data-metric="${metric}"]`);
  }

  async value(protocol: string, metric: string): Promise<number> {
    return Number(await this.cell(protocol, metric).getAttribute('data-value'));
  }

  /** The tick box of a protocol. */
  checkbox(protocol: string): Locator {
    return this.root.getByTestId(`compare-protocol-${protocol}`);
  }
}
