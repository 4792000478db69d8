import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_WAV } from '../support/audio';
import { testModelsDir } from '../support/models';
import { REPO_ROOT } from '../support/processes';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { ConsoleErrors, launchChromium, playheadTime, SCREENSHOT_DIR, screenshot, seriousAccessibilityViolations, until } from './browser';

interface CliResult {
  file: string;
  segments: { speaker: string; start: number; end: number }[];
}

/** The built CLI (npm test builds before jest runs). */
function diarize(args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/cli/dist/diarize.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: testModelsDir() },
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The result the CLI put in the page, read back the way a person would: from the file. */
function embeddedResult(html: string): CliResult {
  const json = /<script type="application\/json" id="diarization-report-data">([^]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no report data in the page');
  return (JSON.parse(json) as { result: CliResult }).result;
}

async function lanesOf(page: Page): Promise<Record<string, number[][]>> {
  return page.locator('.lane[data-speaker]').evaluateAll((lanes) =>
    Object.fromEntries(
      lanes.map((lane) => [
        lane.getAttribute('data-speaker'),
        [...lane.querySelectorAll('.segment')].map((b) => [Number(b.getAttribute('data-start')), Number(b.getAttribute('data-end'))]),
      ]),
    ),
  );
}

function expectedLanes(result: CliResult): Record<string, number[][]> {
  const lanes: Record<string, number[][]> = {};
  for (const s of result.segments) (lanes[s.speaker] ??= []).push([s.start, s.end]);
  return lanes;
}

/** `npm run diarize -- FILE --format html`: one file, no server, the console's timeline. */
describe('the CLI HTML report in a real browser', () => {
  let browser: Browser;
  let tmp: TempDir;

  beforeAll(async () => {
    tmp = makeTempDir('diarization-report-');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    tmp?.remove();
    console.log(`browser test screenshots: ${SCREENSHOT_DIR}`);
  });

  test('--embed-audio without --format html is one line and exit 1', () => {
    const run = diarize([SAMPLE_WAV, '--embed-audio']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['diarize: --embed-audio works only with --format html']);
    expect(run.stdout).toBe('');
  });

  test('the report opens from a file, shows its lanes, and plays the embedded audio', async () => {
    const run = diarize([SAMPLE_WAV, '--num-speakers', '2', '--format', 'html', '--embed-audio']);
    expect(run.code).toBe(0);
    const path = join(tmp.path, 'report.html');
    writeFileSync(path, run.stdout);
    const result = embeddedResult(run.stdout);
    expect(new Set(result.segments.map((s) => s.speaker)).size).toBe(2);
    // 30 s of Opus at 24 kbit/s, base64: about 120 KB, plus the ~35 KB script
    expect(run.stdout.length).toBeLessThan(400_000);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = new ConsoleErrors(page);
    await page.goto(pathToFileURL(path).href);
    await page.locator('.lane[data-speaker]').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Diarization of pyannote_sample.wav');
    expect(await lanesOf(page)).toEqual(expectedLanes(result));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const first = result.segments.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    await page.locator(`.segment[data-start="${first.start}"][data-end="${first.end}"]`).click();
    await until(page, '!document.querySelector("audio").paused');
    // the embedded WebM knows its length (seekable)
    expect(await page.evaluate('document.querySelector("audio").duration')).toBeCloseTo(30, 0);
    const start = await playheadTime(page);
    await page.waitForTimeout(800);
    expect(await playheadTime(page)).toBeGreaterThan(start + 0.2);
    await screenshot(page, 'report-desktop');
    expect(errors.unexpected).toEqual([]);
    await page.close();
  });

  test('a file name cannot inject markup or script into the report', async () => {
    // the path holds "</script>" and an <img onerror>: a folder named "<" and a file "script>…"
    const folder = join(tmp.path, '<');
    mkdirSync(folder);
    const hostile = join(folder, 'script><img src=x onerror="window.injected=1">.wav');
    copyFileSync(SAMPLE_WAV, hostile);
    const run = diarize([hostile, '--num-speakers', '2', '--format', 'html']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('</script><img');
    const path = join(tmp.path, 'hostile.html');
    writeFileSync(path, run.stdout);

    const page = await browser.newPage();
    const errors = new ConsoleErrors(page);
    await page.goto(pathToFileURL(path).href);
    await page.locator('.lane[data-speaker]').first().waitFor();
    expect(await page.evaluate('window.injected')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('script><img src=x onerror="window.injected=1">.wav — diarization');
    expect(embeddedResult(run.stdout).file).toBe(hostile);
    // no audio in this one: the page says how to get it
    expect(await page.getByRole('status').textContent()).toContain('--embed-audio');
    expect(errors.unexpected).toEqual([]);
    await page.close();
  });
});
