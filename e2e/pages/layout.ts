import { expect, type Locator, type Page } from '@playwright/test';

export type AreaName = 'pagetable' | 'tlb' | 'log' | 'dock';
export type SplitName = 'pt' | 'tlb' | 'top';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The main view's layout: the areas, the splitters between them, collapse and Reset layout. */
export class LayoutPage {
  readonly grid: Locator;
  readonly reset: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByTestId('panels-main');
    this.reset = page.getByTestId('reset-layout');
  }

  /** The area's box (open or collapsed): the panel and its collapse button. */
  area(name: AreaName): Locator {
    return this.page.locator(`#area-${name}`);
  }

  splitter(name: SplitName): Locator {
    return this.page.getByTestId(`splitter-${name}`);
  }

  collapseButton(name: AreaName): Locator {
    return this.page.getByTestId(`collapse-${name}`);
  }

  expandButton(name: AreaName): Locator {
    return this.page.getByTestId(`expand-${name}`);
  }

  async box(name: AreaName): Promise<Box> {
    const b = await this.area(name).boundingBox();
    if (!b) throw new Error(`the ${name} area has no box`);
    return b;
  }

  /** The splitter's value (aria-valuenow, the first area's share in percent). */
  async value(name: SplitName): Promise<number> {
    return Number(await this.splitter(name).getAttribute('aria-valuenow'));
  }

  /** Drags a splitter by (dx, dy) pixels with the mouse, from its middle. */
  async drag(name: SplitName, dx: number, dy: number): Promise<void> {
    const b = await this.splitter(name).boundingBox();
    if (!b) throw new Error(`the ${name} splitter has no box`);
    const x = b.x + b.width / 2;
    const y = b.y + b.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 4 });
    await this.page.mouse.up();
  }

  async collapse(name: AreaName): Promise<void> {
    await this.collapseButton(name).click();
    await expect(this.page.getByTestId(`collapsed-${name}`)).toBeVisible();
  }

  async expand(name: AreaName): Promise<void> {
    await this.expandButton(name).click();
    await expect(this.collapseButton(name)).toBeVisible();
  }
}
