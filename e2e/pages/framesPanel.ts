import type { Locator, Page } from '@playwright/test';

export interface FrameInfo {
  pfn: number;
  state: string;
  pid: number;
  refcount: number;
  change: string;
}

/** The physical-frames panel: one cell per frame in use, dashed gaps for the free ranges. */
export class FramesPanel {
  readonly root: Locator;
  readonly cells: Locator;
  readonly gaps: Locator;
  readonly summary: Locator;
  readonly detail: Locator;
  readonly more: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('panel-frames');
    this.cells = this.root.getByTestId('frame');
    this.gaps = this.root.getByTestId('frame-gap');
    this.summary = this.root.getByTestId('frames-summary');
    this.detail = this.root.getByTestId('frame-detail');
    this.more = this.root.getByTestId('frames-more');
  }

  cell(pfn: number): Locator {
    return this.root.locator(`[data-testid="frame"][data-pfn="${pfn}"]`);
  }

  /** Cells in a state (anon, cow, pagetable, zero, reserved, free). */
  inState(state: string): Locator {
    return this.root.locator(`[data-testid="frame"][data-state="${state}"]`);
  }

  async list(): Promise<FrameInfo[]> {
    return this.cells.evaluateAll((els) =>
      els.map((el) => ({
        pfn: Number(el.getAttribute('data-pfn')),
        state: el.getAttribute('data-state') ?? '',
        pid: Number(el.getAttribute('data-pid')),
        refcount: Number(el.getAttribute('data-refcount')),
        change: el.getAttribute('data-change') ?? '',
      })),
    );
  }
}
