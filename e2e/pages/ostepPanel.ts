import { expect, type Locator, type Page } from '@playwright/test';

/** The OSTEP homework view: the VA split, the three reads of the walk, the paste box. */
export class OstepPanel {
  readonly root: Locator;
  readonly problem: Locator;
  readonly va: Locator;
  readonly fields: Locator;
  readonly pde: Locator;
  readonly pte: Locator;
  readonly pa: Locator;
  readonly fault: Locator;
  readonly result: Locator;
  readonly pasteOpen: Locator;
  readonly pasteText: Locator;
  readonly pasteLoad: Locator;
  readonly builtinButton: Locator;
  readonly answers: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-ostep');
    this.problem = this.root.getByTestId('ostep-problem');
    this.va = this.root.getByTestId('ostep-va');
    this.fields = this.root.getByTestId('ostep-field');
    this.pde = this.root.getByTestId('ostep-pde');
    this.pte = this.root.getByTestId('ostep-pte');
    this.pa = this.root.getByTestId('ostep-pa');
    this.fault = this.root.getByTestId('ostep-fault');
    this.result = this.root.getByTestId('ostep-result');
    this.pasteOpen = this.root.getByTestId('ostep-paste-open');
    this.pasteText = this.root.getByTestId('ostep-paste-text');
    this.pasteLoad = this.root.getByTestId('ostep-paste-load');
    this.builtinButton = this.root.getByTestId('ostep-builtin');
    this.answers = page.getByTestId('ostep-answer');
  }

  /** The page grid of one read of the walk: 'pd' (directory), 'pt' (table) or 'data'. */
  pageGrid(kind: 'pd' | 'pt' | 'data'): Locator {
    return this.root.locator(`[data-testid="ostep-page"][data-kind="${kind}"]`);
  }

  /** The highlighted byte in that page. */
  byteRead(kind: 'pd' | 'pt' | 'data'): Locator {
    return this.pageGrid(kind).getByTestId('ostep-byte-read');
  }

  field(name: 'pd' | 'pt' | 'off'): Locator {
    return this.root.locator(`[data-testid="ostep-field"][data-field="${name}"]`);
  }

  /** Pastes a problem text into the box and presses Load. */
  async paste(text: string): Promise<void> {
    if (!(await this.pasteText.isVisible())) await this.pasteOpen.click();
    await this.pasteText.fill(text);
    await this.pasteLoad.click();
  }

  async expectVa(va: number): Promise<void> {
    await expect(this.va).toHaveAttribute('data-va', String(va));
  }
}
