import type { Locator, Page } from '@playwright/test';

/** The machine-image view: the regime line, the table of accesses, the paste box. */
export class ImagePanel {
  readonly root: Locator;
  readonly input: Locator;
  readonly regime: Locator;
  readonly accesses: Locator;
  readonly json: Locator;
  readonly pasteOpen: Locator;
  readonly pasteText: Locator;
  readonly pasteLoad: Locator;
  readonly builtinButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-image');
    this.input = this.root.getByTestId('image-input');
    this.regime = this.root.getByTestId('image-regime');
    this.accesses = this.root.getByTestId('image-access');
    this.json = page.getByTestId('image-json');
    this.pasteOpen = this.root.getByTestId('image-paste-open');
    this.pasteText = this.root.getByTestId('image-paste-text');
    this.pasteLoad = this.root.getByTestId('image-paste-load');
    this.builtinButton = this.root.getByTestId('image-builtin');
  }

  access(n: number): Locator {
    return this.accesses.nth(n);
  }

  /** Pastes JSON into the box and presses Run. */
  async paste(text: string): Promise<void> {
    if (!(await this.pasteText.isVisible())) await this.pasteOpen.click();
    await this.pasteText.fill(text);
    await this.pasteLoad.click();
  }
}
