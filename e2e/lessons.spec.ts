// Every built-in lesson, in the browser: each key moment the core finds is marked on the scrubber at
// the same step, a click on it seeks there, the event that marks it is in the log panel, and the
// caption under the scrubber names it (docs/lessons.md: "the e2e suite visits every scenario,
// steps to each key moment and checks that the panels show it").
import { createTimeline, forward } from '../src/core/engine/timeline';
import type { SimEvent } from '../src/core/events';
import { locateKeyMoments } from '../src/core/view/keyMoments';
import type { ScenarioSpec } from '../src/core/spec';
import { SCENARIOS } from '../src/scenarios/index';
import { expect, test } from './fixtures';

/** The step of each key moment, as the core places it (the same code the worker runs). */
function expectedMoments(spec: ScenarioSpec): { label: string; step: number; event: string }[] {
  const r = createTimeline(spec);
  if (!r.ok) throw new Error(r.error);
  while (forward(r.timeline) !== null) {}
  const log: SimEvent[][] = r.timeline.log.map((s) => s ?? []);
  return locateKeyMoments(spec.keyMoments, log).map((k, i) => ({
    ...k,
    event: spec.keyMoments[i]?.event ?? '',
  }));
}

/** Lessons per test: they share one page (a new link in the same tab), which saves a page load each. */
const PER_TEST = 3;

for (let i = 0; i < SCENARIOS.length; i += PER_TEST) {
  const group = SCENARIOS.slice(i, i + PER_TEST);
  test(`lessons ${group.map((s) => s.id).join(', ')}: every key moment is marked, reachable and shown`, async ({
    app,
  }) => {
    // A lesson with many moments takes many round trips to the worker.
    test.setTimeout(90_000 * group.length);
    for (const spec of group) {
      await test.step(spec.id, async () => {
        const moments = expectedMoments(spec);
        expect(moments).toHaveLength(spec.keyMoments.length);
        await app.open(`#s=${spec.id}`);
        await expect(app.scenarioTitle).toContainText(spec.title);
        const { controls } = app;
        await controls.expectStep(0);
        // Moments on the same step share one marker.
        await expect(controls.keyMoments).toHaveCount(new Set(moments.map((k) => k.step)).size);
        // Walk the moments with the "next key moment" button (markers of nearby steps may overlap).
        const next = app.page.getByTestId('btn-next-moment');
        for (const k of moments) {
          if ((await controls.currentStep()) < k.step) {
            await next.click();
            await controls.expectStep(k.step);
          }
          await expect(
            app.log.root.locator(`[data-testid="events"] li[data-type="${k.event}"]`).first(),
          ).toBeVisible();
          await expect(app.page.getByTestId('moment-caption')).toContainText(k.label);
          await expect(app.log.narration.locator('li').first()).not.toBeEmpty();
        }
        await expect(next).toBeDisabled();
        // A marker seeks to its moment with a click (the last one: markers of nearby steps overlap,
        // and a later marker is drawn over an earlier one).
        const last = moments[moments.length - 1];
        if (last) {
          await app.controls.seek(0);
          await controls.keyMoments.last().click();
          await controls.expectStep(last.step);
        }
      });
    }
  });
}
