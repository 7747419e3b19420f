import { expect, type Locator, type Page } from '@playwright/test';

export type DockTabName = 'ipi' | 'cores' | 'frames' | 'stats';

/** The tabs of the shared panel area (IPIs | Cores | Frames | Stats). */
export class Dock {
  readonly tablist: Locator;

  constructor(readonly page: Page) {
    this.tablist = page.getByTestId('dock-tabs');
  }

  tab(name: DockTabName): Locator {
    return this.page.getByTestId(`tab-${name}`);
  }

  /** Shows a tab with a click (the click does not take the keyboard focus). */
  async show(name: DockTabName): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
    await expect(this.page.getByTestId(`panel-${name}`)).toBeVisible();
  }

  /** The name of the selected tab. */
  async selected(): Promise<string> {
    const id = await this.tablist.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid');
    return (id ?? '').replace(/^tab-/, '');
  }
}
