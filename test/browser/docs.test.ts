import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { ConsoleErrors, launchChromium } from './browser';

/** /docs in a real browser: Swagger UI renders the document, and no request leaves the service. */
describe('GET /docs in Chromium', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ storage: 's3' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('renders every operation from /openapi.json with the service as the only host it talks to', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = new ConsoleErrors(page);
    const requested: string[] = [];
    // anything for another host is recorded and refused: the page must not need it
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requested.push(url);
      if (url.startsWith(`${stack.api.url}/`) || url.startsWith('data:')) await route.continue();
      else await route.abort();
    });
    await page.goto(`${stack.api.url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    const operations = await page.locator('.opblock-summary-path').allInnerTexts();
    const normalized = operations.map((text) => text.replace(/\u200b/g, '').trim());
    expect(normalized).toEqual(expect.arrayContaining(['/health', '/jobs', '/jobs/{id}', '/jobs/{id}/result', '/diarize']));
    // the bearer scheme is offered
    await page.locator('.btn.authorize').waitFor();
    const foreign = requested.filter((url) => !url.startsWith(`${stack.api.url}/`) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(requested).toContain(`${stack.api.url}/openapi.json`);
    expect(errors.unexpected).toEqual([]);
    await context.close();
  });
});
