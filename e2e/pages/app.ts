import { expect, type Locator, type Page } from '@playwright/test';
import { ArchComparePanel } from './archComparePanel';
import { BitSlicer } from './bitSlicer';
import { ComparePanel } from './comparePanel';
import { Controls } from './controls';
import { CoresPanel } from './coresPanel';
import { Dock } from './dock';
import { FramesPanel } from './framesPanel';
import { ImagePanel } from './imagePanel';
import { LayoutPage } from './layout';
import { IpiPanel } from './ipiPanel';
import { LogPanel } from './logPanel';
import { OstepPanel } from './ostepPanel';
import { PageTablePanel } from './pageTablePanel';
import { PolicyPanel } from './policyPanel';
import { StatsPanel } from './statsPanel';
import { TlbPanel } from './tlbPanel';

/** The whole app: the header, the banner, the controls and the panels (IPIs, cores, frames and
 * statistics share one area, chosen with the dock's tabs). */
export class AppPage {
  readonly controls: Controls;
  readonly tlb: TlbPanel;
  readonly ipi: IpiPanel;
  readonly pageTable: PageTablePanel;
  readonly log: LogPanel;
  readonly ostep: OstepPanel;
  readonly image: ImagePanel;
  readonly policy: PolicyPanel;
  readonly compare: ComparePanel;
  readonly dock: Dock;
  readonly cores: CoresPanel;
  readonly frames: FramesPanel;
  readonly stats: StatsPanel;
  readonly banner: Locator;
  readonly arch: ArchComparePanel;
  readonly scenarioPicker: Locator;
  readonly scenarioTitle: Locator;
  readonly bitSlicer: BitSlicer;
  readonly layout: LayoutPage;

  constructor(readonly page: Page) {
    this.controls = new Controls(page);
    this.tlb = new TlbPanel(page);
    this.ipi = new IpiPanel(page);
    this.pageTable = new PageTablePanel(page);
    this.log = new LogPanel(page);
    this.ostep = new OstepPanel(page);
    this.image = new ImagePanel(page);
    this.policy = new PolicyPanel(page);
    this.compare = new ComparePanel(page);
    this.dock = new Dock(page);
    this.cores = new CoresPanel(page);
    this.frames = new FramesPanel(page);
    this.stats = new StatsPanel(page);
    this.banner = page.getByTestId('banner');
    this.arch = new ArchComparePanel(page);
    this.scenarioPicker = page.getByTestId('scenario-picker');
    this.scenarioTitle = page.getByTestId('scenario-title');
    this.bitSlicer = new BitSlicer(page);
    this.layout = new LayoutPage(page);
  }

  /** Opens the app (optionally at a fragment such as `#s=munmap-shootdown&step=20`). */
  async open(fragment = ''): Promise<void> {
    await this.page.goto(`/${fragment}`);
    // A stepped view shows its step counter; the protocol comparison (no steps) its table.
    const shown = this.controls.counter
      .filter({ hasText: /^\d+$/ })
      .or(this.page.locator('[data-testid="panel-compare"][data-ready="true"]'));
    await expect(shown.first()).toBeVisible({ timeout: 20_000 });
  }

  /** The fragment of the current URL. */
  async fragment(): Promise<string> {
    return this.page.evaluate(() => window.location.hash);
  }
}
