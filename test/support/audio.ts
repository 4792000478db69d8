import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../shared-paths';

export const SAMPLE_WAV = join(SHARED_EVAL, 'pyannote_sample.wav');
export const SHORT_OGG = join(SHARED_EVAL, 'medkit_dialog.ogg');

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The 30 s sample repeated `times` times: a job that runs long enough to interrupt. */
export function longAudio(dir: string, times: number): string {
  const out = join(dir, `sample-x${times}.wav`);
  ffmpeg(['-stream_loop', String(times - 1), '-i', SAMPLE_WAV, '-c', 'copy', out]);
  return out;
}

/** The sample as AAC in an MP4 container (needs a seekable file to decode). */
export function m4aAudio(dir: string): string {
  const out = join(dir, 'sample.m4a');
  ffmpeg(['-i', SHORT_OGG, '-c:a', 'aac', '-b:a', '64k', out]);
  return out;
}

/** A text file with an audio name: must be refused as not decodable. */
export function fakeWav(dir: string): string {
  const out = join(dir, 'not-audio.wav');
  writeFileSync(out, 'this is plain text, not a RIFF/WAVE file\n'.repeat(20));
  return out;
}
