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

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-ipi');
    this.arrows = this.root.getByTestId('ipi-arrow');
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
}
