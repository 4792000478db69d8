/**
 * No input crashes the CLI: pyannote_sample cut short at many points, in four containers, run
 * through the real `diarize` command (segmentation thread included). Each run must either
 * succeed with a result or fail with one line on stderr and exit code 1; a signal (such as
 * SIGABRT from an uncaught C++ exception in onnxruntime's binding) or any other exit code is a
 * crash. Needs the built CLI (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../../../test/shared-paths';
import { encodeAs } from '../../../test/support/audio-formats';
import { testModelsDir } from '../../../test/support/models';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';

const SAMPLE = join(SHARED_EVAL, 'pyannote_sample.wav'); // 30 s
const DIARIZE = join(__dirname, '..', 'dist', 'diarize.js');
const ROUNDS = 2;
const CONCURRENCY = 2;
/** A run that takes longer than this hangs (a whole 30 s file takes about 2 s). */
const RUN_TIMEOUT_MS = 120_000;
const FRACTIONS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.995, 0.999];

interface Outcome {
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function diarize(file: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIARIZE, file, '--format', 'rttm'], {
      env: { ...process.env, MODELS_DIR: testModelsDir(), DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ file, code, signal, stdout, stderr }));
  });
}

/** Runs `files` through the CLI, `CONCURRENCY` at a time. */
async function diarizeAll(files: string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < files.length) outcomes.push(await diarize(files[next++]));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return outcomes;
}

/** What is wrong with an outcome: undefined for a result or a one-line failure. */
function problem({ code, signal, stdout, stderr }: Outcome): string | undefined {
  if (signal !== null) return `killed by ${signal}${signal === 'SIGKILL' ? ' (hung?)' : ''}; stderr: ${stderr.slice(-500)}`;
  if (code === 0) {
    const lines = stdout.split('\n').filter((line) => line.length > 0);
    if (lines.length === 0) return 'exit code 0 without a result';
    const bad = lines.find((line) => !/^SPEAKER \S+ 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> SPEAKER_\d\d <NA> <NA>$/.test(line));
    return bad === undefined ? undefined : `exit code 0 with a malformed RTTM line: ${bad}`;
  }
  if (code === 1) {
    if (!/^diarize: [^\n]+\n$/.test(stderr)) return `exit code 1 without exactly one line on stderr: ${JSON.stringify(stderr.slice(-500))}`;
    if (stdout !== '') return `exit code 1 with output on stdout: ${JSON.stringify(stdout.slice(0, 200))}`;
    return undefined;
  }
  return `exit code ${code}; stderr: ${stderr.slice(-500)}`;
}

/** Where the audio data begins: a cut there leaves only the container's headers. */
function headerBytes(format: string, bytes: Buffer): number {
  switch (format) {
    case 'wav': {
      // RIFF chunks up to and including the data chunk's own 8-byte header
      for (let offset = 12; offset + 8 <= bytes.length; ) {
        const size = bytes.readUInt32LE(offset + 4);
        if (bytes.toString('ascii', offset, offset + 4) === 'data') return offset + 8;
        offset += 8 + size + (size % 2);
      }
      break;
    }
    case 'mp3': {
      // the ID3v2 tag, then the first frame (ffmpeg's Xing/Info frame, which holds no audio)
      let offset = bytes.toString('ascii', 0, 3) === 'ID3' ? 10 + ((bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9]) : 0;
      const b1 = bytes[offset + 1];
      const b2 = bytes[offset + 2];
      if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0 || ((b1 >> 1) & 3) !== 1) break;
      const mpeg1 = ((b1 >> 3) & 3) === 3;
      const rates = mpeg1 ? [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] : [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
      const sampleRates = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] }[(b1 >> 3) & 3]!;
      const bitrate = rates[(b2 >> 4) - 1] * 1000;
      offset += Math.floor(((mpeg1 ? 144 : 72) * bitrate) / sampleRates[(b2 >> 2) & 3]) + ((b2 >> 1) & 1);
      return offset;
    }
    case 'm4a': {
      // top-level boxes (ftyp, moov: faststart) up to the mdat box's header
      for (let offset = 0; offset + 8 <= bytes.length; ) {
        const size = bytes.readUInt32BE(offset);
        if (bytes.toString('ascii', offset + 4, offset + 8) === 'mdat') return offset + 8;
        if (size < 8) break;
        offset += size;
      }
      break;
    }
    case 'ogg': {
      // the leading pages with granule position 0 carry the Vorbis headers
      let offset = 0;
      while (offset + 27 <= bytes.length && bytes.toString('ascii', offset, offset + 4) === 'OggS' && bytes.readBigUInt64LE(offset + 6) === 0n) {
        const segments = bytes[offset + 26];
        let body = 0;
        for (let i = 0; i < segments; i++) body += bytes[offset + 27 + i];
        offset += 27 + segments + body;
      }
      if (offset > 0) return offset;
      break;
    }
  }
  throw new Error(`could not find the end of the ${format} headers`);
}

/** 20 cuts: 1 byte, 100 bytes, exactly the headers, the headers and a little, then spread over the file. */
function cutPoints(format: string, bytes: Buffer): number[] {
  const header = headerBytes(format, bytes);
  const points = [1, 100, header, header + 200, ...FRACTIONS.map((f) => Math.floor(f * bytes.length))];
  return [...new Set(points)].sort((a, b) => a - b);
}

const FORMATS: [string, string[]][] = [
  ['wav', []],
  ['mp3', []],
  // moov first (as phones and most tools write it), so that cuts keep a playable header
  ['m4a', ['-c:a', 'aac', '-movflags', '+faststart']],
  ['ogg', ['-c:a', 'libvorbis']],
];

describe('diarize never crashes on a truncated file', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir('diarization-truncated-');
  });
  afterAll(() => dir.remove());

  it('a directory: exit code 1 with one line that says so', async () => {
    const outcome = await diarize(dir.path);
    expect({ code: outcome.code, signal: outcome.signal, stdout: outcome.stdout, stderr: outcome.stderr }).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `diarize: could not decode audio: ${dir.path} is a directory, not an audio file\n`,
    });
  });

  it.each(FORMATS)(`%s cut at 20 points, ${ROUNDS} rounds: a result, or exit code 1 with one line`, async (format, args) => {
    const whole = encodeAs(dir.path, SAMPLE, `whole.${format}`, args);
    const bytes = readFileSync(whole);
    const cuts = cutPoints(format, bytes);
    expect(cuts.length).toBe(20);
    const files = cuts.map((cut) => {
      const file = join(dir.path, `cut-${cut}.${format}`);
      writeFileSync(file, bytes.subarray(0, cut));
      return file;
    });
    const outcomes: Outcome[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // the second round pairs the runs differently
      outcomes.push(...(await diarizeAll(round % 2 === 0 ? files : [...files].reverse())));
    }
    const problems = outcomes.flatMap((outcome) => {
      const found = problem(outcome);
      return found === undefined ? [] : [`${outcome.file.split('/').pop()}: ${found}`];
    });
    expect(problems).toEqual([]);
    expect(outcomes).toHaveLength(ROUNDS * files.length);
    // the cut right after the headers holds no audio: it must fail, not yield an empty result
    const headerOnly = `cut-${headerBytes(format, bytes)}.${format}`;
    expect(outcomes.filter((o) => o.file.endsWith(`/${headerOnly}`)).map((o) => o.code)).toEqual(Array(ROUNDS).fill(1));
  }, 300_000);
});
