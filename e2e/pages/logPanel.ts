import type { Locator, Page } from '@playwright/test';

/** The narration and the event list of the current step. */
export class LogPanel {
  readonly root: Locator;
  readonly narration: Locator;
  readonly events: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-log');
    this.narration = this.root.getByTestId('narration');
    this.events = this.root.locator('[data-testid="events"] li');
  }

  async eventTypes(): Promise<string[]> {
    return this.events.evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
  }
}
