import type { Locator, Page } from '@playwright/test';

/** The narration and the event list of the current step. */
export class LogPanel {
  readonly root: Locator;
  readonly narration: Locator;
  readonly events: Locator;
  /** Every row of the run-wide event list (this step's and earlier steps'). */
  readonly rows: Locator;
  readonly pastRows: Locator;
  readonly kind: Locator;
  readonly filter: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-log');
    this.narration = this.root.getByTestId('narration');
    this.events = this.root.locator('[data-testid="events"] li');
    this.rows = this.root.getByTestId('event-row');
    this.pastRows = this.root.locator('[data-testid="events-past"] [data-testid="event-row"]');
    this.kind = this.root.getByTestId('log-kind');
    this.filter = this.root.getByTestId('log-filter');
    this.status = this.root.getByTestId('log-status');
  }

  async eventTypes(): Promise<string[]> {
    return this.events.evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
  }

  /** The rendered rows' event types and steps. */
  async rowList(): Promise<{ type: string; step: number }[]> {
    return this.rows.evaluateAll((els) =>
      els.map((e) => ({
        type: e.getAttribute('data-type') ?? '',
        step: Number(e.getAttribute('data-step')),
      })),
    );
  }
}
