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
  readonly tree: Locator;
  readonly treeRoots: Locator;

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
    this.tree = this.root.getByTestId('image-tree');
    this.treeRoots = this.tree.getByTestId('tree-root');
  }

  access(n: number): Locator {
    return this.accesses.nth(n);
  }

  /** The root of the tree for a register: CR3, satp, TTBR0_EL1, TTBR1_EL1. */
  treeRoot(register: string): Locator {
    return this.tree.locator(`[data-testid="tree-root"][data-register="${register}"]`);
  }

  /** The tables of the tree, by name (PML4, PDPT, level 2, L3 ...), wherever they are shown. */
  treeTables(name: string): Locator {
    return this.tree.locator(`[data-testid="tree-table"][data-name="${name}"]`);
  }

  /** An entry row of a table: its index, within `scope` (a table locator). */
  treeEntry(scope: Locator, index: number): Locator {
    return scope.locator(`:scope > ul > [data-testid="tree-entry"][data-index="${index}"]`);
  }

  /** The expand/collapse button of an entry row. */
  treeToggle(entry: Locator): Locator {
    return entry.locator(':scope > div > [data-testid="tree-toggle"]');
  }

  /** Pastes JSON into the box and presses Run. */
  async paste(text: string): Promise<void> {
    if (!(await this.pasteText.isVisible())) await this.pasteOpen.click();
    await this.pasteText.fill(text);
    await this.pasteLoad.click();
  }
}
