import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath, SAMPLE_RATE } from '@diarization/engine';
import { UsageError } from '../run-main';

/** A recording the benchmark builds from ../shared/eval. */
export interface BenchRecording {
  name: string;
  /** Which eval recordings, concatenated and repeated to the length asked for. */
  sources: RegExp;
  description: string;
}

export const BENCH_RECORDINGS: readonly BenchRecording[] = [
  { name: 'mixed', sources: /^pyannote_.*\.wav$/, description: 'every pyannote recording of the eval set: speech with pauses, 1-4 speakers' },
  {
    name: 'dense',
    sources: /^pyannote_debug_trn0[369]\.wav$/,
    description: 'the AMI clips with the most speech (trn03, trn06, trn09): speech all the time, overlaps',
  },
];

/** Temporary benchmark recordings; `remove` deletes them (the bench calls it however it ends). */
export class BenchAudio {
  private readonly dir = mkdtempSync(join(tmpdir(), 'diarization-bench-'));

  constructor(
    private readonly evalDir: string,
    /** The caller's FFMPEG_PATH, if any. */
    private readonly preferredFfmpeg?: string,
  ) {
    if (!existsSync(evalDir)) {
      this.remove();
      throw new UsageError(`no FILE given and ${evalDir} does not exist to build one from`);
    }
  }

  /** `seconds` of the recording's sources, concatenated with ffmpeg into a WAV at the models' rate. */
  build(recording: BenchRecording, seconds: number): string {
    const sources = readdirSync(this.evalDir)
      .filter((f) => recording.sources.test(f))
      .sort()
      .map((f) => join(this.evalDir, f));
    if (sources.length === 0) throw new UsageError(`no recordings for the ${recording.name} benchmark file in ${this.evalDir}`);
    const list = join(this.dir, `${recording.name}.txt`);
    // repeat the list as often as needed to reach the duration
    const repeats = Math.ceil(seconds / (30 * sources.length)) + 1;
    writeFileSync(list, Array.from({ length: repeats }, () => sources.map((s) => `file '${s}'`).join('\n')).join('\n'));
    const output = join(this.dir, `${recording.name}-${seconds}s.wav`);
    const result = spawnSync(
      ffmpegPath(this.preferredFfmpeg),
      ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(seconds), '-ar', String(SAMPLE_RATE), '-ac', '1', output],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`could not build the benchmark audio: ${result.stderr.trim()}`);
    return output;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
