import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SAMPLE_WAV } from '../support/audio';
import { call } from '../support/http';
import { startStack, TOKEN_A, type Stack } from '../support/stack';
import {
  ConsoleErrors,
  launchChromium,
  overflowsHorizontally,
  playheadTime,
  SCREENSHOT_DIR,
  screenshot,
  seriousAccessibilityViolations,
  until,
} from './browser';

interface ApiSegment {
  speaker: string;
  start: number;
  end: number;
  confidence?: number;
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 780 };

/** The console served by the API, driven in Chromium against the real stack (Redis, S3, a worker, the models). */
describe('web console in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ConsoleErrors;

  beforeAll(async () => {
    stack = await startStack({ storage: 's3' });
    await stack.startWorker();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    page = await context.newPage();
    errors = new ConsoleErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    console.log(`browser test screenshots: ${SCREENSHOT_DIR}`);
  });

  afterEach(() => {
    expect(errors.unexpected).toEqual([]);
  });

  let jobId: string;
  let segments: ApiSegment[];

  test('the page is served at / without auth, with a Content-Security-Policy, and asks for a token', async () => {
    const response = await page.goto(`${stack.api.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('API token').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // a wrong token: the API's own message, and no sign-in
    await errors.expecting(/status of 401/, async () => {
      await page.getByLabel('API token').fill('not-a-valid-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(await page.getByRole('alert').textContent()).toMatch(/token/i);

    await page.getByLabel('API token').fill(TOKEN_A);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New diarization' }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("diarization.token")')).toBe(TOKEN_A);
    expect(await page.evaluate('localStorage.getItem("diarization.token")')).toBeNull();
  });

  test('bad options get the API message; an upload shows progress and the job runs to success', async () => {
    await page.getByLabel('Audio or video file').setInputFiles(SAMPLE_WAV);
    await page.getByLabel('Between').check();
    await page.getByLabel('At least').fill('4');
    await page.getByLabel('At most').fill('2');
    await errors.expecting(/status of 400/, async () => {
      await page.getByRole('button', { name: 'Upload and diarize' }).click();
      await page.getByRole('alert').waitFor();
    });
    expect(await page.getByRole('alert').textContent()).toMatch(/min_speakers|max_speakers/);

    await page.getByLabel('Exactly').check();
    await page.getByLabel('Speakers', { exact: true }).fill('2');
    await screenshot(page, 'upload-desktop');
    // a slow link (about 4 s for the 1 MB file), so that the progress bar is seen moving
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 250_000 });
    await page.getByRole('button', { name: 'Upload and diarize' }).click();
    const progress = page.locator('#upload-progress');
    await until(page, 'document.querySelector("#upload-progress")?.value > 0 && document.querySelector("#upload-progress")?.value < 100');
    expect(await page.getByText(/^Uploading \d+%$/).isVisible()).toBe(true);
    await screenshot(page, 'upload-progress-desktop');
    await page.getByRole('status').filter({ hasText: 'Uploaded pyannote_sample.wav' }).waitFor();
    expect(await progress.count()).toBe(0);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();

    const job = page.locator('li.job').filter({ hasText: 'pyannote_sample.wav' });
    await job.locator('.status-succeeded').waitFor({ timeout: 110_000 });
    jobId = String(await job.getAttribute('data-job-id'));
    await screenshot(page, 'jobs-desktop');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const result = await call(stack.api.url, `/jobs/${jobId}/result`, { token: TOKEN_A });
    segments = result.body.segments as ApiSegment[];
    expect(new Set(segments.map((s) => s.speaker)).size).toBe(2);
  }, 150_000);

  test('the result shows one lane per speaker, with exactly the API\'s segments', async () => {
    await page.getByRole('link', { name: /View result/ }).first().click();
    await page.locator('.lane[data-speaker]').first().waitFor();
    const speakers = [...new Set(segments.map((s) => s.speaker))].sort();
    expect(await page.locator('.lane[data-speaker]').evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-speaker')))).toEqual(speakers);
    for (const speaker of speakers) {
      const drawn = await page
        .locator(`.lane[data-speaker="${speaker}"] .segment`)
        .evaluateAll((buttons) => buttons.map((b) => [Number(b.getAttribute('data-start')), Number(b.getAttribute('data-end'))]));
      const expected = segments.filter((s) => s.speaker === speaker).map((s) => [s.start, s.end]);
      expect(drawn).toEqual(expected);
    }
    // each turn's confidence is in its tooltip; the unsure ones (< 0.5) are marked
    const drawnConfidence = await page
      .locator('.lane[data-speaker] .segment')
      .evaluateAll((buttons) => buttons.map((b) => [Number(b.getAttribute('data-start')), b.getAttribute('title'), b.classList.contains('unsure')] as const));
    for (const [start, title, unsure] of drawnConfidence) {
      const segment = segments.find((s) => s.start === start)!;
      expect(title).toContain(`confidence ${segment.confidence!.toFixed(2)}`);
      expect(unsure).toBe(segment.confidence! < 0.5);
    }
    // talk time and turns per speaker
    const turns = await page.locator('.talk-time-row .turns').allTextContents();
    expect(turns.map(Number)).toEqual(speakers.map((speaker) => segments.filter((s) => s.speaker === speaker).length));
    expect(await page.locator('audio').count()).toBe(1);
    await screenshot(page, 'result-desktop');

    // zoom: wider than the view, so the lanes scroll; Fit brings it back
    const overflow = 'document.querySelector(".timeline-scroll").scrollWidth - document.querySelector(".timeline-scroll").clientWidth';
    expect(await page.evaluate(overflow)).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await page.evaluate(overflow)).toBeGreaterThan(500);
    await page.getByRole('button', { name: 'Fit' }).click();
    expect(await page.evaluate(overflow)).toBeLessThanOrEqual(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  test('clicking a segment plays it: the playhead moves through it; space pauses', async () => {
    const longest = [...segments].sort((a, b) => b.end - b.start - (a.end - a.start))[0];
    await page.locator(`.segment[data-start="${longest.start}"][data-end="${longest.end}"]`).click();
    await until(page, '!document.querySelector("audio").paused');
    const first = await playheadTime(page);
    await page.waitForTimeout(800);
    const later = await playheadTime(page);
    expect(first).toBeGreaterThanOrEqual(longest.start - 0.05);
    expect(later).toBeGreaterThan(first + 0.2);
    expect(later).toBeLessThanOrEqual(longest.end + 0.1);
    await page.locator('h2').first().click(); // focus away from the segment button
    await page.keyboard.press('Space');
    await until(page, 'document.querySelector("audio").paused');
    const paused = await playheadTime(page);
    await page.keyboard.press('ArrowRight');
    await until(page, `Number(document.querySelector(".playhead").dataset.time) > ${paused + 4}`);
  });

  test('a renamed speaker is in the lanes and in the RTTM download', async () => {
    await page.getByLabel('Name for SPEAKER_00').fill('Alice Smith');
    await expect(page.locator('.lane-label').first().textContent()).resolves.toContain('Alice Smith');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'RTTM' }).click()]);
    expect(download.suggestedFilename()).toBe('pyannote_sample.rttm');
    const rttm = readFileSync(await download.path(), 'utf8').trim().split('\n');
    expect(rttm).toHaveLength(segments.length);
    expect(rttm.filter((line) => line.split(' ')[7] === 'Alice_Smith')).toHaveLength(segments.filter((s) => s.speaker === 'SPEAKER_00').length);
    expect(rttm.filter((line) => line.split(' ')[7] === 'SPEAKER_01')).toHaveLength(segments.filter((s) => s.speaker === 'SPEAKER_01').length);
    expect(rttm[0]).toMatch(/^SPEAKER pyannote_sample 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> \S+ <NA> <NA>$/);
  });

  test('usable at 375 px and in the dark theme', async () => {
    await page.setViewportSize(PHONE);
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'result-375px');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'result-375px-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('link', { name: '← All jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'upload-and-jobs-375px');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'upload-and-jobs-375px-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(DESKTOP);
  });

  test('deleting the job removes it from the list and from the API; sign out forgets the token', async () => {
    const job = page.locator(`li.job[data-job-id="${jobId}"]`);
    await job.getByRole('button', { name: /^Delete/ }).click();
    await job.getByRole('button', { name: /Delete for good/ }).click();
    await job.waitFor({ state: 'detached' });
    expect((await call(stack.api.url, `/jobs/${jobId}`, { token: TOKEN_A })).status).toBe(404);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate('sessionStorage.getItem("diarization.token")')).toBeNull();
  });
});
