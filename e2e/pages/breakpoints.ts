import type { Locator, Page } from '@playwright/test';

/** The "Jump" menu: go to step, run to next of any kind, breakpoints; and the scrubber's ticks. */
export class BreakpointsMenu {
  readonly button: Locator;
  readonly panel: Locator;
  readonly gotoInput: Locator;
  readonly gotoButton: Locator;
  readonly runKind: Locator;
  readonly runNext: Locator;
  readonly address: Locator;
  readonly addAddress: Locator;
  readonly list: Locator;
  readonly error: Locator;
  readonly hit: Locator;
  readonly ticks: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByTestId('btn-breakpoints');
    this.panel = page.getByTestId('panel-breakpoints');
    this.gotoInput = page.getByTestId('goto-step');
    this.gotoButton = page.getByTestId('btn-goto');
    this.runKind = page.getByTestId('run-kind');
    this.runNext = page.getByTestId('btn-run-next');
    this.address = page.getByTestId('bp-address');
    this.addAddress = page.getByTestId('bp-add');
    this.list = page.getByTestId('bp-list');
    this.error = page.getByTestId('bp-error');
    this.hit = page.getByTestId('breakpoint-hit');
    this.ticks = page.getByTestId('event-ticks');
  }

  kind(kind: string): Locator {
    return this.page.getByTestId(`bp-kind-${kind}`);
  }

  /** The steps of the ticks of one kind (fault, ipi, violation). */
  async tickSteps(kind: string): Promise<number[]> {
    return this.ticks
      .locator(`g[data-kind="${kind}"] line`)
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
  }

  async open(): Promise<void> {
    if ((await this.button.getAttribute('aria-expanded')) !== 'true') await this.button.click();
  }
}
