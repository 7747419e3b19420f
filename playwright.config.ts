import { defineConfig, devices } from '@playwright/test';

import { findChromium } from './scripts/chromium-path.mjs';

// The same lookup as scripts/ensure-chromium.mjs, which runs first in `npm run test:e2e`.
const executablePath = findChromium() ?? undefined;

// VMSCOPE_PW_PORT lets two checkouts run their e2e suites at once without sharing a server.
const PORT = Number(process.env.VMSCOPE_PW_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  // e2e/screenshots.spec.ts only makes pictures (README, layout review): VMSCOPE_SHOTS=1 to run it.
  testIgnore: process.env.VMSCOPE_SHOTS ? [] : ['**/screenshots.spec.ts'],
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: Boolean(process.env.CI),
  // The JSON report feeds scripts/test-summary.mjs; artifacts stay out of test-results/ itself,
  // which also holds the unit-test report (Playwright empties its outputDir on start).
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 720 },
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
