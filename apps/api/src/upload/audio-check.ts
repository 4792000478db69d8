import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { notAudio } from '../errors';

/** Rejects files that are obviously not audio before they are queued. */
export interface AudioValidator {
  /** Throws an HttpError (422) when the file at `path` is not decodable audio. */
  check(path: string): Promise<void>;
}

const CHECK_TIMEOUT_MS = 20_000;
const SECONDS_DECODED = 2;

/**
 * Decodes the first seconds of the first audio stream with ffmpeg: cheap, and it catches text,
 * images, video without sound and truncated headers. When ffmpeg itself is missing the check
 * is skipped (the worker then fails such a job with a clear error).
 */
export class FfmpegAudioValidator implements AudioValidator {
  constructor(
    private readonly ffmpegPath: string,
    private readonly onSkip: (reason: string) => void = () => undefined,
  ) {}

  async check(path: string): Promise<void> {
    if ((await stat(path)).size === 0) throw notAudio('the file is empty');
    const args = ['-v', 'error', '-nostdin', '-i', path, '-map', '0:a:0', '-t', String(SECONDS_DECODED), '-f', 'null', '-'];
    const outcome = await new Promise<{ code: number | null; stderr: string; missing: boolean }>((resolve) => {
      const child = spawn(this.ffmpegPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: CHECK_TIMEOUT_MS });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4096) stderr += chunk.toString('utf8');
      });
      child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stderr: error.message, missing: error.code === 'ENOENT' }));
      child.on('close', (code) => resolve({ code, stderr, missing: false }));
    });
    if (outcome.missing) {
      this.onSkip(`ffmpeg not found at "${this.ffmpegPath}" (FFMPEG_PATH): upload check skipped`);
      return;
    }
    if (outcome.code === 0) return;
    throw notAudio(describeFfmpegError(outcome.stderr, path));
  }
}

/** ffmpeg's first meaningful line, without the temp file's path. */
function describeFfmpegError(stderr: string, path: string): string {
  const line = stderr
    .split('\n')
    .map((text) => text.split(path).join('upload').trim())
    .find((text) => text.length > 0);
  if (line === undefined) return 'ffmpeg could not decode it';
  if (/matches no streams|does not contain any stream|Stream map/i.test(line)) return 'it contains no audio stream';
  return line.replace(/^upload: /, '');
}
