import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/processes';

/** Debian's Chromium (.ci/run installs it with apt-get); no browser download. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests save screenshots; gitignored, and printed so that CI shows it. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required'],
  });
}

/**
 * Every console error and uncaught exception of a page. A test that makes the API refuse
 * something on purpose says so with `expect(...)`, and only those exact messages are let through.
 */
export class ConsoleErrors {
  private readonly seen: string[] = [];

  constructor(page: Page) {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') this.seen.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => this.seen.push(`uncaught: ${error.message}`));
  }

  /** Runs a step in which the browser logs the failed request of a deliberate refusal; drops only those. */
  async expecting<T>(pattern: RegExp, step: () => Promise<T>): Promise<T> {
    const before = this.seen.length;
    try {
      return await step();
    } finally {
      const during = this.seen.splice(before);
      this.seen.push(...during.filter((message) => !pattern.test(message)));
    }
  }

  get unexpected(): string[] {
    return [...this.seen];
  }
}

/** axe-core in the page; the violations that are serious or critical. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block
  // (a <script> tag would be, and would rightly be reported as a console error)
  await page.evaluate(readFileSync(require.resolve('axe-core'), 'utf8'));
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as {
    id: string;
    impact: string | null;
    help: string;
    nodes: { target: unknown[] }[];
  }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Whether the page is wider than its viewport (it must not be, down to 375 px). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1')) as boolean;
}

/** Reads the time the timeline's playhead shows. */
export async function playheadTime(page: Page): Promise<number> {
  return Number(await page.locator('.playhead').getAttribute('data-time'));
}

/**
 * Waits until an expression is truthy in the page, polling from here: page.waitForFunction
 * polls inside the page with eval, which the console's Content-Security-Policy rightly refuses.
 */
export async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
