// Each panel of the main view at 1280x720 (the projector), in both themes, on a lesson step where
// it has something to show: a picture of it in test-results/panels/<panel>-<theme>.png to look at
// (no pixel comparison: fonts differ between machines), and checks that it reads: its box is on
// screen and big enough, nothing spills out sideways, no text is smaller than 12 px, and an item
// it must show is there.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { AppPage } from './pages/app';
import type { DockTabName } from './pages/dock';

const W = 1280;
const H = 720;
/** The smallest text that still reads from the back of a lecture hall, in CSS pixels. */
const MIN_FONT_PX = 12;

interface Shot {
  /** The panel's data-testid, also the picture's name. */
  panel: string;
  scenario: string;
  /** The key moment shown. */
  moment: string;
  tab?: DockTabName;
  minHeight: number;
  /** Something the panel must show at that step. */
  expectText: (app: AppPage) => Locator;
  /** The panel's last item (the last core, say), which must fit inside it without scrolling. */
  lastItem?: (app: AppPage) => Locator;
}

const SHOTS: Shot[] = [
  {
    panel: 'panel-pagetable',
    scenario: 'walk-basics',
    moment: 'PT entry 215: the frame',
    minHeight: 400,
    expectText: (app) => app.pageTable.root.getByText('PML4', { exact: true }),
  },
  {
    panel: 'panel-bitslicer',
    scenario: 'walk-basics',
    moment: 'PT entry 215: the frame',
    minHeight: 50,
    expectText: (app) => app.bitSlicer.fields.filter({ hasText: 'offset' }),
  },
  {
    panel: 'panel-tlb',
    scenario: 'munmap-shootdown',
    moment: 'Core 1 invalidates',
    minHeight: 200,
    expectText: (app) => app.tlb.core(1).getByText('invalidated'),
    lastItem: (app) => app.tlb.core(3),
  },
  {
    panel: 'panel-log',
    scenario: 'munmap-shootdown',
    moment: 'Core 1 invalidates',
    minHeight: 200,
    expectText: (app) => app.log.narration.getByText(/INVLPG/),
  },
  {
    panel: 'panel-ipi',
    scenario: 'munmap-shootdown',
    moment: 'Core 1 invalidates',
    tab: 'ipi',
    minHeight: 200,
    expectText: (app) => app.ipi.root.getByText('waiting for acks').first(),
    lastItem: (app) => app.ipi.root.locator('.lane-name').filter({ hasText: 'Core 3' }),
  },
  {
    panel: 'panel-cores',
    scenario: 'munmap-shootdown',
    moment: 'Core 1 invalidates',
    tab: 'cores',
    minHeight: 200,
    expectText: (app) => app.cores.row(0),
    lastItem: (app) => app.cores.row(3),
  },
  {
    panel: 'panel-frames',
    scenario: 'copy-on-write',
    moment: 'Copy-on-write: a new frame',
    tab: 'frames',
    minHeight: 200,
    expectText: (app) => app.frames.cells.first(),
  },
  {
    panel: 'panel-stats',
    scenario: 'tlb-hierarchy',
    moment: 'Page 0 once more: an L1 dTLB hit',
    tab: 'stats',
    minHeight: 150,
    expectText: (app) => app.stats.tile('hits'),
  },
];

/** The smallest rendered text in the element (SVG text counts at its drawn scale). */
async function smallestText(root: Locator): Promise<{ px: number; text: string }> {
  return root.evaluate((el) => {
    let best = { px: Number.POSITIVE_INFINITY, text: '' };
    for (const node of el.querySelectorAll('*')) {
      const own = [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent?.trim());
      if (!own || node.getClientRects().length === 0) continue;
      const style = getComputedStyle(node);
      if (style.visibility === 'hidden' || node.closest('.sr-only')) continue;
      // The page-table tree scales to fit its box and can be zoomed: its text size is the tree
      // panel's own business (PageTablePanel's scale limits), not the layout's.
      if (node.closest('.pt-svg')) continue;
      let px = Number.parseFloat(style.fontSize);
      if (node instanceof SVGGraphicsElement) px *= node.getScreenCTM()?.a ?? 1;
      if (px < best.px) best = { px, text: (node.textContent ?? '').trim().slice(0, 40) };
    }
    return best;
  });
}

/** The shots that share a lesson step, so each step is opened once per theme. */
function groups(): Shot[][] {
  const by = new Map<string, Shot[]>();
  for (const s of SHOTS) {
    const key = `${s.scenario}|${s.moment}`;
    by.set(key, [...(by.get(key) ?? []), s]);
  }
  return [...by.values()];
}

async function check(app: AppPage, page: Page, shot: Shot, theme: string): Promise<void> {
  if (shot.tab) await app.dock.show(shot.tab);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  const panel = page.getByTestId(shot.panel);
  await expect(shot.expectText(app)).toBeVisible();

  const box = await panel.boundingBox();
  expect(box, 'the panel has a box').not.toBeNull();
  if (!box) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(W + 0.5);
  expect(box.y + box.height).toBeLessThanOrEqual(H + 0.5);
  expect(box.height).toBeGreaterThanOrEqual(shot.minHeight);

  if (shot.lastItem) {
    const last = await shot.lastItem(app).boundingBox();
    expect(last, 'the last item has a box').not.toBeNull();
    if (last)
      expect(last.y + last.height, 'the last item fits in the panel').toBeLessThanOrEqual(box.y + box.height);
  }

  const overflow = await panel.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(1);
  const smallest = await smallestText(panel);
  expect(smallest.px, `smallest text: "${smallest.text}"`).toBeGreaterThanOrEqual(MIN_FONT_PX);

  await panel.screenshot({ path: `test-results/panels/${shot.panel}-${theme}.png`, animations: 'disabled' });
}

for (const theme of ['light', 'dark'] as const) {
  for (const group of groups()) {
    const first = group[0] as Shot;
    const names = group.map((s) => s.panel.replace(/^panel-/, '')).join(', ');
    test(`${names} read at ${W}x${H} on ${first.scenario} (${theme})`, async ({ app, page }) => {
      // Several panels per test, each with its own checks and picture.
      test.setTimeout(90_000);
      await page.setViewportSize({ width: W, height: H });
      await page.addInitScript((t) => window.localStorage.setItem('vmscope.theme', t), theme);
      await app.open(`#s=${first.scenario}&step=0`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await app.controls.seek(await app.controls.keyMomentStep(first.moment));
      for (const shot of group) await test.step(shot.panel, () => check(app, page, shot, theme));
    });
  }
}
