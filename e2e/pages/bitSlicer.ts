import type { Locator, Page } from '@playwright/test';

/** The bit-slicer above the page-table tree: the VA split into its index fields and the offset. */
export class BitSlicer {
  readonly root: Locator;
  readonly fields: Locator;
  readonly physical: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-bitslicer');
    this.fields = this.root.getByTestId('bits-field');
    this.physical = this.root.getByTestId('bits-pa');
  }

  /** The field names shown, left to right (PML4 ... offset). */
  async fieldNames(): Promise<string[]> {
    return this.fields.locator('.bits-name').allInnerTexts();
  }
}
