import { expect, type Locator, type Page } from '@playwright/test';

/** The transport bar: back / play / step, speed, scrubber, jumps and the step counter. */
export class Controls {
  readonly back: Locator;
  readonly stepButton: Locator;
  readonly playButton: Locator;
  readonly speed: Locator;
  readonly scrubber: Locator;
  readonly counter: Locator;
  readonly nextFault: Locator;
  readonly nextIpi: Locator;
  readonly keyMoments: Locator;

  constructor(readonly page: Page) {
    this.back = page.getByTestId('btn-back');
    this.stepButton = page.getByTestId('btn-step');
    this.playButton = page.getByTestId('btn-play');
    this.speed = page.getByTestId('speed');
    this.scrubber = page.getByTestId('scrubber');
    this.counter = page.getByTestId('step-counter');
    this.nextFault = page.getByTestId('btn-next-fault');
    this.nextIpi = page.getByTestId('btn-next-ipi');
    this.keyMoments = page.getByTestId('key-moment');
  }

  /** The step shown by the counter (waits until a snapshot has arrived). */
  async currentStep(): Promise<number> {
    await expect(this.counter).toHaveText(/^\d+$/);
    return Number(await this.counter.textContent());
  }

  /** The last step of the run, from "of N". */
  async endStep(): Promise<number> {
    await expect(this.scrubber).toHaveAttribute('max', /^\d+$/);
    return Number(await this.scrubber.getAttribute('max'));
  }

  async expectStep(n: number): Promise<void> {
    await expect(this.counter).toHaveText(String(n));
  }

  /** One step forward with the Step button; waits for the counter to move. */
  async step(): Promise<number> {
    const before = await this.currentStep();
    await this.stepButton.click();
    await this.expectStep(before + 1);
    return before + 1;
  }

  /** One step back with the Back button; waits for the counter to move. */
  async stepBack(): Promise<number> {
    const before = await this.currentStep();
    await this.back.click();
    await this.expectStep(before - 1);
    return before - 1;
  }

  /** The step of the first key moment whose label matches. */
  async keyMomentStep(label: string | RegExp): Promise<number> {
    const marker = this.keyMoments.filter({ hasText: label }).first();
    await expect(marker).toHaveCount(1);
    return Number(await marker.getAttribute('data-step'));
  }

  async seek(step: number): Promise<void> {
    await this.scrubber.fill(String(step));
    await this.expectStep(step);
  }
}
