import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNpz } from '@diarization/engine';
import { SAMPLE_FIXTURES, SHARED_EVAL, SHARED_MODELS, WESPEAKER_WEIGHTED_FIXTURES } from '../../../test/shared-paths';
import { makeTempDir } from '../../../test/support/temp-dir';
import { testModelsDir } from '../../../test/support/models';
import { progressBar } from './progress-bar';

/** Runs a built CLI entry point (npm test builds before jest runs). */
function cli(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'dist', `${script}.js`), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: testModelsDir() },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const benchTempFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('diarization-bench-'));

const lastLineJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>;

describe('npm run diarize', () => {
  it('writes RTTM with the file name as file id, nothing else on stdout', () => {
    const { code, stdout } = cli('diarize', [join(SHARED_EVAL, 'medkit_dialog.ogg'), '--format', 'rttm', '--embedding', 'openvoice-refenc']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^SPEAKER medkit_dialog 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> SPEAKER_\d\d <NA> <NA>$/);
  });

  it('writes JSON by default, with segments, speakers and duration', () => {
    const { code, stdout } = cli('diarize', [join(SHARED_EVAL, 'pyannote_sample.wav'), '--embedding', 'openvoice-refenc', '--num-speakers', '2']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.duration).toBe(30);
    expect(result.speakers.map((s: { speaker: string }) => s.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(result.segments[0]).toEqual({ speaker: expect.stringMatching(/^SPEAKER_0[01]$/), start: expect.any(Number), end: expect.any(Number), confidence: expect.any(Number) });
  });

  it('reproduces pyannote community-1 from its intermediates (--replay)', () => {
    const { code, stdout, stderr } = cli('diarize', [join(SAMPLE_FIXTURES, 'clip_16k.wav'), '--replay', SAMPLE_FIXTURES, '--format', 'rttm']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(readFileSync(join(SAMPLE_FIXTURES, 'reference.rttm'), 'utf8'));
  });

  it("saves its intermediates in --replay's layout: pyannote's exact embeddings from its own segmentations", () => {
    const dir = makeTempDir();
    try {
      // pyannote's segmentations alone, so the embeddings come from the fixture's random ResNet34
      copyFileSync(join(SAMPLE_FIXTURES, 'segmentations.npz'), join(dir.path, 'segmentations.npz'));
      const out = join(dir.path, 'out');
      const model = join(WESPEAKER_WEIGHTED_FIXTURES, 'resnet34-random.onnx');
      const first = cli('diarize', [join(SAMPLE_FIXTURES, 'clip_16k.wav'), '--replay', dir.path, '--embedding', model, '--save-intermediates', out, '--format', 'rttm']);
      expect(first.code).toBe(0);

      const saved = loadNpz(join(out, 'raw_embeddings.npz')).get('embeddings')!;
      expect(saved.dtype).toBe('<f4');
      expect(saved.shape).toEqual([21, 3, 256]);
      const reference = loadNpz(join(WESPEAKER_WEIGHTED_FIXTURES, 'embeddings.npz'));
      const expected = reference.get('embeddings')!.data as Float32Array;
      const active = reference.get('active')!.data as Uint8Array;
      const ours = saved.data as Float32Array;
      let worst = 0;
      for (let pair = 0; pair < 63; pair++) {
        for (let i = 0; i < 256; i++) {
          const value = ours[pair * 256 + i];
          if (active[pair]) worst = Math.max(worst, Math.abs(value - expected[pair * 256 + i]));
          else expect(value).toBeNaN();
        }
      }
      expect(worst).toBeLessThan(1e-3);
      const segmentations = loadNpz(join(out, 'segmentations.npz')).get('segmentations')!;
      expect(segmentations.shape).toEqual([21, 589, 3]);
      expect(Array.from(segmentations.data as Float32Array)).toEqual(Array.from(loadNpz(join(SAMPLE_FIXTURES, 'segmentations.npz')).get('segmentations')!.data as Float32Array));

      // and what was saved replays to the same result
      const replayed = cli('diarize', [join(SAMPLE_FIXTURES, 'clip_16k.wav'), '--replay', out, '--embedding', 'wespeaker-resnet34-random', '--format', 'rttm']);
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toBe(first.stdout);
    } finally {
      dir.remove();
    }
  });

  it.each([
    [['/no/such/file.wav'], 'diarize: could not decode audio: the file does not exist'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--num-speakers', 'two'], 'diarize: --num-speakers must be a positive whole number, got "two"'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--format', 'xml'], 'diarize: --format must be one of json, rttm, html, srt, vtt, got "xml"'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--recipe', '2.0'], 'diarize: --recipe must be one of 3.1, community-1, got "2.0"'],
    [[], 'diarize: expected one audio file, got 0 (see --help)'],
    [
      [join(SHARED_EVAL, 'medkit_dialog.ogg'), '--embedding', join(SHARED_MODELS, 'segmentation-3.0.sherpa-int8.onnx')],
      `diarize: embedding model ${join(SHARED_MODELS, 'segmentation-3.0.sherpa-int8.onnx')} does not have a WeSpeaker graph (expected Gemm before y, found LogSoftmax)`,
    ],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--window-step', '0'], 'diarize: --window-step must be a positive number, got "0"'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--window-step', '12'], 'diarize: invalid options: windowStep: must be at most 10 seconds (the window)'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--preset', 'turbo'], 'diarize: --preset must be one of default, fast, got "turbo"'],
    [[join(SHARED_EVAL, 'medkit_dialog.ogg'), '--models-dir', '/nonexistent'], 'diarize: no segmentation model is installed in /nonexistent: run npm run models (or: npm run models -- --from DIR)'],
  ])('fails with one line on stderr and exit code 1: %j', (args, message) => {
    const { code, stdout, stderr } = cli('diarize', args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n`);
  });

  it('prints its usage with --help', () => {
    const { code, stdout } = cli('diarize', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run diarize -- FILE/);
    expect(stdout).toContain('--replay DIR');
  });
});

describe('npm run eval', () => {
  const core = [
    'pyannote_sample', 'pyannote_debug_dev00', 'pyannote_debug_dev01', 'pyannote_debug_trn00', 'pyannote_debug_trn01',
    'pyannote_debug_trn03', 'pyannote_debug_trn04', 'pyannote_debug_trn05', 'pyannote_debug_trn06', 'pyannote_debug_trn07',
    'pyannote_debug_trn08', 'pyannote_debug_trn09',
  ];

  it('meets the quality bar with the OpenVoice encoder: core-set DER <= 31 %', () => {
    const { code, stdout } = cli('eval', ['--embedding', 'openvoice-refenc', '--only', core.join(',')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/core set\s+\d+\.\d/);
    const summary = lastLineJson(stdout);
    expect((summary.files as unknown[]).length).toBe(12);
    expect(summary.core_der).toBeLessThanOrEqual(0.31);
  });

  it('keeps the fast preset within a point of the default core-set DER (31 %)', () => {
    const { code, stdout } = cli('eval', ['--embedding', 'openvoice-refenc', '--only', core.join(','), '--preset', 'fast']);
    expect(code).toBe(0);
    expect(lastLineJson(stdout).core_der).toBeLessThanOrEqual(0.32);
  });

  it('prints DER against real-time factor for each window step with --speed-dial', () => {
    const { code, stdout } = cli('eval', ['--only', 'pyannote_sample', '--embedding', 'openvoice-refenc', '--speed-dial']);
    expect(code).toBe(0);
    const dial = lastLineJson(stdout).speed_dial as Array<{ setting: string; der: number; rtf: number }>;
    expect(dial.map((row) => row.setting)).toEqual(['window step 1 s', 'window step 2 s', 'window step 2.5 s', 'window step 3 s', 'window step 5 s', 'preset fast']);
    for (const row of dial) expect(row.rtf).toBeGreaterThan(0);
    // fewer windows, less work
    expect(dial[4].rtf).toBeLessThan(dial[0].rtf);
  });

  it('scores one file and ends with a JSON line', () => {
    const { code, stdout } = cli('eval', ['--only', 'nemo_an4_diarize_test', '--embedding', 'openvoice-refenc']);
    expect(code).toBe(0);
    const summary = lastLineJson(stdout);
    expect(summary.files).toEqual([{ name: 'nemo_an4_diarize_test', der: expect.any(Number), speakers_found: 2, speakers_true: 2 }]);
    expect(summary.der).toBeLessThan(0.05);
    expect(summary.core_der).toBeNull();
  });

  it('refuses an unknown recording name', () => {
    const { code, stderr } = cli('eval', ['--only', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^eval: --only nope matches no recording in /);
  });
});

describe('npm run bench', () => {
  it('times three configurations and sherpa-onnx-node on a mixed and a dense recording, ends with JSON, leaves no files', () => {
    const before = benchTempFolders();
    const { code, stdout } = cli('bench', ['--seconds', '12']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/sherpa-onnx-node/);
    const summary = lastLineJson(stdout) as { files: Array<{ name: string; audio_seconds: number; ours: Record<string, { speed_ratio: number; stages: Record<string, number> }> }> };
    expect(summary.files.map((f) => f.name)).toEqual(['mixed', 'dense']);
    for (const file of summary.files) {
      expect(file.audio_seconds).toBeCloseTo(12, 1);
      expect(Object.keys(file.ours)).toEqual(['exact', 'frame-selection', 'fast']);
      for (const run of Object.values(file.ours)) {
        expect(run.speed_ratio).toBeGreaterThan(0);
        expect(run.stages.embeddings).toBeGreaterThan(0);
      }
    }
    expect(benchTempFolders()).toEqual(before);
  });
});

describe('progress bar', () => {
  it('draws on a terminal and stays silent otherwise', () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const draw = progressBar(terminal)!;
    draw({ stage: 'embeddings', fraction: 0.5 });
    draw({ stage: 'done', fraction: 1 });
    expect(written[0]).toMatch(/^\r\[#{15}\.{15}\]  50% embeddings/);
    expect(written.join('')).toMatch(/100% done\s*\n$/);
    expect(progressBar({ isTTY: false } as NodeJS.WriteStream)).toBeUndefined();
  });
});
