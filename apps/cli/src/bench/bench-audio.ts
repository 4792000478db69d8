import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '@diarization/engine';
import { UsageError } from '../run-main';

/**
 * A `seconds`-long recording of real multi-speaker speech: the pyannote recordings of the eval
 * folder concatenated (and cut) with ffmpeg into a temporary WAV.
 */
export function makeBenchAudio(evalDir: string, seconds: number): string {
  if (!existsSync(evalDir)) throw new UsageError(`no FILE given and ${evalDir} does not exist to build one from`);
  const sources = readdirSync(evalDir)
    .filter((f) => /^pyannote_.*\.wav$/.test(f))
    .sort()
    .map((f) => join(evalDir, f));
  if (sources.length === 0) throw new UsageError(`no pyannote_*.wav recordings in ${evalDir}`);
  const dir = mkdtempSync(join(tmpdir(), 'diarization-bench-'));
  const list = join(dir, 'list.txt');
  // repeat the list as often as needed to reach the duration
  const repeats = Math.ceil(seconds / (30 * sources.length)) + 1;
  writeFileSync(list, Array.from({ length: repeats }, () => sources.map((s) => `file '${s}'`).join('\n')).join('\n'));
  const output = join(dir, `bench-${seconds}s.wav`);
  const result = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(seconds), '-ar', '16000', '-ac', '1', output],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`could not build the benchmark audio: ${result.stderr.trim()}`);
  return output;
}
