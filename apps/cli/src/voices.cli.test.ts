import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeDer, parseRttm } from '@diarization/evaluation';
import { SHARED_EVAL } from '../../../test/shared-paths';
import { ffmpegMake, silence } from '../../../test/support/audio-formats';
import { testModelsDir } from '../../../test/support/models';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';

/** Runs a built CLI entry point (npm test builds before jest runs). */
function cli(script: 'diarize' | 'eval', args: string[]) {
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'dist', `${script}.js`), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: testModelsDir() },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const diarize = (args: string[]) => cli('diarize', args);
const lastLineJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>;

const SAMPLE = join(SHARED_EVAL, 'pyannote_sample.wav');
const reference = [...parseRttm(readFileSync(join(SHARED_EVAL, 'pyannote_sample.rttm'), 'utf8')).values()].flat();

describe('npm run diarize -- --embeddings / --voiceprint', () => {
  let dir: TempDir;
  let ada: string;
  beforeAll(() => {
    dir = makeTempDir();
    // speaker91 of the reference talks alone from 21.8 s to 27.8 s
    ada = join(dir.path, 'ada.wav');
    ffmpegMake(['-i', SAMPLE, '-ss', '21.8', '-t', '6', ada]);
  });
  afterAll(() => dir.remove());

  it('adds speaker_embeddings and identification to the JSON', () => {
    const { code, stdout } = diarize([SAMPLE, '--embedding', 'openvoice-refenc', '--num-speakers', '2', '--embeddings', '--voiceprint', `Ada=${ada}`]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.speaker_embeddings.model).toMatch(/^openvoice-refenc@[0-9a-f]{8}$/);
    expect(result.speaker_embeddings.vectors.map((v: { speaker: string }) => v.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    for (const v of result.speaker_embeddings.vectors) expect(v.embedding).toHaveLength(256);
    const named = result.identification.filter((i: { voiceprint: unknown }) => i.voiceprint !== null);
    expect(named).toEqual([{ speaker: expect.stringMatching(/^SPEAKER_0[01]$/), voiceprint: { id: 'Ada', label: 'Ada', score: expect.any(Number) } }]);
    // JSON keeps the SPEAKER_xx labels
    expect(result.segments.every((s: { speaker: string }) => /^SPEAKER_0[01]$/.test(s.speaker))).toBe(true);
  });

  it('names the identified speaker in RTTM, and it is the enrolled voice', () => {
    const { code, stdout } = diarize([SAMPLE, '--embedding', 'openvoice-refenc', '--num-speakers', '2', '--format', 'rttm', '--voiceprint', `Ada=${ada}`]);
    expect(code).toBe(0);
    const segments = [...parseRttm(stdout).values()].flat();
    expect(new Set(segments.map((s) => s.speaker)).has('Ada')).toBe(true);
    // the optimal mapping pairs Ada with the reference speaker the clip was cut from
    expect(computeDer(reference, segments).mapping.Ada).toBe('speaker91');
  });

  it.each([
    [['--voiceprint', 'Ada'], 'diarize: --voiceprint must be NAME=FILE, got "Ada"'],
    [['--voiceprint', 'Ada=/nonexistent/ada.wav'], 'diarize: --voiceprint Ada: file /nonexistent/ada.wav does not exist'],
    [['--identify-threshold', '0.5'], 'diarize: --identify-threshold needs at least one --voiceprint NAME=FILE'],
  ])('fails with one line and exit code 1: %j', (args, message) => {
    const { code, stdout, stderr } = diarize([SAMPLE, ...args]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n`);
  });

  it('refuses a threshold outside -1..1 and a clip without speech, in one line', () => {
    const bad = diarize([SAMPLE, '--voiceprint', `Ada=${ada}`, '--identify-threshold', '1.5']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('diarize: --identify-threshold must be a cosine similarity between -1 and 1, got "1.5"\n');
    const quiet = silence(dir.path, 'quiet.wav', 3);
    const { code, stderr } = diarize([SAMPLE, '--embedding', 'openvoice-refenc', '--voiceprint', `Quiet=${quiet}`]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^diarize: --voiceprint Quiet=.*quiet\.wav: the voice clip holds no speech: send a clip where one speaker talks alone for at least 2 s\n$/);
  });
});

describe('npm run eval -- --confidence / --identify', () => {
  const one = ['--embedding', 'openvoice-refenc', '--only', 'pyaudioanalysis_diarizationExample'];

  it('prints the error per confidence bin, then one JSON line', () => {
    const { code, stdout } = cli('eval', [...one, '--confidence']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^confidence {6}segs {4}spk-s  share% {4}FA%  conf%  error%$/m);
    const bins = lastLineJson(stdout).confidence_bins as Array<{ low: number; seconds: number; error: number }>;
    expect(bins.map((b) => b.low)).toEqual([0, 0.5, 0.8, 0.9]);
    expect(bins.reduce((sum, b) => sum + b.seconds, 0)).toBeGreaterThan(30);
  });

  it('prints a threshold sweep of identification, then one JSON line with the best threshold', () => {
    const { code, stdout } = cli('eval', [...one, '--identify']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^identification with openvoice-refenc@[0-9a-f]{8}: 2 trials/);
    const summary = lastLineJson(stdout) as { trials: number; best_threshold: number; sweep: Array<{ targets: number; correct: number; wrong: number; missed: number }> };
    expect(summary.trials).toBe(2);
    expect(summary.sweep.length).toBeGreaterThan(5);
    for (const s of summary.sweep) expect(s.correct + s.wrong + s.missed).toBe(s.targets);
    expect(summary.sweep[0].targets).toBeGreaterThan(0);
  });
});
