// A `test` whose page fails the test on any uncaught page error or console error (a 404 for a
// resource shows up as a console error too).
import { test as base, expect } from '@playwright/test';
import { AppPage } from './pages/app';

export const test = base.extend<{ app: AppPage; pageErrors: string[] }>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    await use(errors);
    expect(errors, 'errors in the page').toEqual([]);
  },
  app: async ({ page, pageErrors }, use) => {
    void pageErrors; // attach the error listeners before the page opens
    await use(new AppPage(page));
  },
});

export { expect };
