/**
 * `--format html`: the console's result view as one file that opens without a server. The
 * console workspace builds that view as a single script (`@diarization/console/report`); this
 * inlines it with the result as JSON and, with `--embed-audio`, the audio as a data: URL.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { ffmpegPath } from '@diarization/engine/io';
import { UsageError } from './run-main';

/** The id of the JSON block the report script reads (apps/console/src/report/report-data.ts). */
const DATA_ELEMENT_ID = 'diarization-report-data';

/**
 * Speech in Opus at 24 kbit/s mono: about 180 KB a minute, 240 KB once base64-encoded in the
 * page (a WAV would be 1.9 MB a minute at 16 kHz). Chrome, Firefox and Safari 15+ play it.
 */
const EMBEDDED_AUDIO = { mime: 'audio/webm', bitrate: '24k', label: 'Opus, 24 kbit/s mono' } as const;

/** The report's data, as apps/console/src/report/report-data.ts reads it. */
interface ReportData {
  title: string;
  fileId: string;
  result: unknown;
  audio: { src: string; description: string } | null;
}

export interface HtmlReportInput {
  /** The audio file as given on the command line. */
  file: string;
  /** The CLI's JSON output for it. */
  result: unknown;
  embedAudio: boolean;
  /** The ffmpeg that re-encodes embedded audio (FFMPEG_PATH); unset: the engine's default. */
  ffmpegPath?: string;
}

export async function htmlReport({ file, result, embedAudio, ffmpegPath: preferredFfmpeg }: HtmlReportInput): Promise<string> {
  const script = reportScript();
  const title = basename(file);
  const data: ReportData = {
    title,
    fileId: basename(file, extname(file)),
    result,
    audio: embedAudio ? { src: `data:${EMBEDDED_AUDIO.mime};base64,${(await encodeAudio(file, preferredFfmpeg)).toString('base64')}`, description: `Playing the audio embedded in this report (${EMBEDDED_AUDIO.label}).` } : null,
  };
  const inlineScript = scriptText(script);
  // The page can run its own script and nothing else, and reach nothing: it works offline and
  // a crafted file name or result cannot make it load anything.
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${createHash('sha256').update(inlineScript).digest('base64')}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'media-src data: blob:',
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="diarization-service npm run diarize -- --format html">
<title>${escapeHtml(title)} — diarization</title>
</head>
<body>
<div id="report"><noscript>This report needs JavaScript to draw the timeline.</noscript></div>
<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript(data)}</script>
<script>${inlineScript}</script>
</body>
</html>
`;
}

function reportScript(): string {
  try {
    return readFileSync(require.resolve('@diarization/console/report'), 'utf8');
  } catch {
    throw new UsageError('--format html needs the built console: run `npm run build -w @diarization/console` (npm ci does it)');
  }
}

/** Text that may sit inside `<script>`: nothing in it can close the element or open a comment. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON with `<` escaped, so no file name or speaker name can end the script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The audio re-encoded by ffmpeg to a compact format for the page. Into a file, not a pipe: the
 * WebM muxer writes the duration and the seek index only into an output it can seek in.
 */
async function encodeAudio(file: string, preferredFfmpeg: string | undefined): Promise<Buffer> {
  const folder = mkdtempSync(join(tmpdir(), 'diarization-report-'));
  const output = join(folder, 'audio.webm');
  try {
    await runFfmpeg(ffmpegPath(preferredFfmpeg), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', file, '-vn', '-ac', '1', '-c:a', 'libopus', '-b:a', EMBEDDED_AUDIO.bitrate, output]);
    return readFileSync(output);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function runFfmpeg(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2000);
    });
    child.on('error', (error) => reject(new UsageError(`--embed-audio: could not run ffmpeg: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new UsageError(`--embed-audio: ffmpeg could not encode the audio: ${errors.trim().split('\n').pop() || `exit code ${code}`}`));
    });
  });
}
