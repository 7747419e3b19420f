import type { Locator, Page } from '@playwright/test';

export interface ArrowInfo {
  from: number;
  to: number;
  state: string;
}

/** The IPI lanes. */
export class IpiPanel {
  readonly root: Locator;
  readonly arrows: Locator;
  readonly plot: Locator;
  readonly axis: Locator;
  readonly zoomIn: Locator;
  readonly zoomOut: Locator;
  readonly fit: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-ipi');
    this.arrows = this.root.getByTestId('ipi-arrow');
    this.plot = this.root.locator('[data-testid="ipi-lanes"] svg');
    this.axis = this.root.getByTestId('ipi-axis');
    this.zoomIn = this.root.getByTestId('ipi-zoom-in');
    this.zoomOut = this.root.getByTestId('ipi-zoom-out');
    this.fit = this.root.getByTestId('ipi-zoom-fit');
  }

  async arrowList(): Promise<ArrowInfo[]> {
    return this.arrows.evaluateAll((els) =>
      els.map((el) => ({
        from: Number(el.getAttribute('data-from')),
        to: Number(el.getAttribute('data-to')),
        state: el.getAttribute('data-state') ?? '',
      })),
    );
  }

  coreState(core: number): Locator {
    return this.root.locator(`[data-testid="core-state"][data-core="${core}"]`);
  }

  /** The cycles the time axis shows, [from, to]. */
  async domain(): Promise<[number, number]> {
    const d = (await this.axis.getAttribute('data-domain')) ?? '';
    const [a, b] = d.split('-').map(Number);
    return [a ?? Number.NaN, b ?? Number.NaN];
  }
}
