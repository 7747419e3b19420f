// Screenshots for the README and for looking at the layout, not a check: run with
//   VMSCOPE_SHOTS=1 npx playwright test screenshots
// (VMSCOPE_SHOTS=readme also writes docs/screenshot.png). It opens the scenario
// VMSCOPE_SHOT_SCENARIO (default munmap-shootdown) at the key moment VMSCOPE_SHOT_MOMENT
// (default "Core 1 invalidates", during the shootdown) or at step VMSCOPE_SHOT_STEP, and writes
// test-results/shots/<scenario>-<step>-<w>x<h>.png at 1280x720 and 1440x900.
// VMSCOPE_SHOT_FRAGMENT (e.g. '#ostep=seed1&step=4') opens that link as it is instead, and writes
// test-results/shots/<fragment, letters and digits only>-<w>x<h>.png.
// VMSCOPE_SHOT_TABS (e.g. 'ipi,cores,frames,stats') also shows each of those tabs of the shared
// panel area in turn and writes <scenario>-<step>-<tab>-<w>x<h>.png for each.
// VMSCOPE_SHOT_LOG_FILTER (e.g. 'core=1') also types that into the event log's filter and writes
// <scenario>-<step>-log-<w>x<h>.png.
// VMSCOPE_SHOT_THEME=dark (or light) opens the app in that theme and adds -dark / -light to the names.
import { test } from '@playwright/test';
import { AppPage } from './pages/app';

const SCENARIO = process.env.VMSCOPE_SHOT_SCENARIO ?? 'munmap-shootdown';
const MOMENT = process.env.VMSCOPE_SHOT_MOMENT ?? 'Core 1 invalidates';
const STEP = process.env.VMSCOPE_SHOT_STEP;
const FRAGMENT = process.env.VMSCOPE_SHOT_FRAGMENT;
const TABS = (process.env.VMSCOPE_SHOT_TABS ?? '').split(',').filter(Boolean);
const THEME = process.env.VMSCOPE_SHOT_THEME;
const SUFFIX = THEME ? `-${THEME}` : '';

for (const [w, h] of [
  [1280, 720],
  [1440, 900],
] as const) {
  test(`screenshot ${w}x${h}`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    const app = new AppPage(page);
    if (THEME) await page.addInitScript((t) => window.localStorage.setItem('vmscope.theme', t), THEME);
    if (FRAGMENT !== undefined) {
      await app.open(FRAGMENT);
      await page.waitForTimeout(1_000);
      await page.screenshot({
        path: `test-results/shots/${FRAGMENT.replace(/[^a-z0-9]+/gi, '-')}${SUFFIX}-${w}x${h}.png`,
      });
      return;
    }
    await app.open(`#s=${SCENARIO}&step=0`);
    const step = STEP !== undefined ? Number(STEP) : await app.controls.keyMomentStep(MOMENT);
    await app.controls.seek(step);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Let the step's flash animations settle so the picture shows their resting colours.
    await page.waitForTimeout(1_800);
    await page.screenshot({ path: `test-results/shots/${SCENARIO}-${step}${SUFFIX}-${w}x${h}.png` });
    for (const tab of TABS) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForTimeout(1_600);
      await page.screenshot({ path: `test-results/shots/${SCENARIO}-${step}-${tab}${SUFFIX}-${w}x${h}.png` });
    }
    const logFilter = process.env.VMSCOPE_SHOT_LOG_FILTER;
    if (logFilter) {
      await page.getByTestId('log-filter').fill(logFilter);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.waitForTimeout(600);
      await page.screenshot({ path: `test-results/shots/${SCENARIO}-${step}-log${SUFFIX}-${w}x${h}.png` });
    }
    if (w === 1280 && SCENARIO === 'munmap-shootdown' && process.env.VMSCOPE_SHOTS === 'readme') {
      await page.screenshot({ path: 'docs/screenshot.png' });
    }
  });
}
