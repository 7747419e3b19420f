// Lesson mapped-stacks in the app: the overflow moment narrates the guard page and shows the
// stack.overflow event; the no-guard variant shows T2 reading back the wrong value.
import { expect, test } from './fixtures';

test('mapped-stacks: the guard page stops T1; later T0 unmaps the stack T1 left', async ({ app }) => {
  await app.open('#s=mapped-stacks&step=0');
  const { controls, log } = app;
  await controls.seek(await controls.keyMomentStep('A push hits the guard page: T1 stopped'));
  expect(await log.eventTypes()).toEqual(
    expect.arrayContaining(['stack.overflow', 'thread.exit', 'stack.unmap.deferred']),
  );
  await expect(log.narration).toContainText('guard page below');
  await controls.seek(await controls.keyMomentStep("T0, joining, unmaps T1's stack"));
  await expect(log.narration).toContainText('T0 unmaps T1');
});

test('mapped-stacks-no-guard: T2 reads back a return address instead of its local', async ({ app }) => {
  await app.open('#s=mapped-stacks-no-guard&step=0');
  const { controls, log } = app;
  await controls.seek(await controls.keyMomentStep('T2 reads back a wrong value'));
  expect(await log.eventTypes()).toContain('value.check');
  await expect(log.narration).toContainText('not the 42 it saved there');
});
