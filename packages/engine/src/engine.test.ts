import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '@diarization/models';
import { computeDer, parseRttm, type Segment } from '@diarization/evaluation';
import { DiarizationEngine } from './engine';
import { loadReplayFolder } from './pipeline/replay-folder';
import { WaveformEmbedder } from './embedding/waveform-embedder';
import { toRttm } from './output/rttm';
import type { Progress } from './types';
import { SAMPLE_FIXTURES, SHARED_EVAL } from '../../../test/shared-paths';
import { failure } from '../../../test/support/diarization-error';
import { testModelsDir } from '../../../test/support/models';
import { sampleReplay } from '../../../test/support/pyannote-fixtures';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { silence } from '../../../test/support/audio-formats';

const SAMPLE = join(SHARED_EVAL, 'pyannote_sample.wav');
const reference = (path: string): Segment[] => [...parseRttm(readFileSync(path, 'utf8')).values()].flat();

function overlaps(segments: Segment[]): boolean {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  return sorted.some((s, i) => i > 0 && s.start < sorted[i - 1].end);
}

describe('DiarizationEngine with the real models', () => {
  let engine: DiarizationEngine;
  let dir: TempDir;
  beforeAll(async () => {
    dir = makeTempDir();
    engine = await DiarizationEngine.load({ modelsDir: testModelsDir(), embedding: 'openvoice-refenc' });
  });
  afterAll(async () => {
    await engine.dispose();
    dir.remove();
  });

  it('diarizes pyannote_sample below pyannote 3.1 published DER (12.7 %) when told there are 2 speakers', async () => {
    const result = await engine.diarize(SAMPLE, { numSpeakers: 2 });
    expect(result.duration).toBe(30);
    expect(result.recipe).toBe('3.1');
    expect(result.models.embedding.id).toBe('openvoice-refenc');
    expect(result.speakers.map((s) => s.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    const der = computeDer(reference(join(SHARED_EVAL, 'pyannote_sample.rttm')), result.segments);
    expect(der.der).toBeLessThan(0.127);
  });

  it('returns segments sorted by start, inside the audio, with per-speaker totals that add up', async () => {
    const result = await engine.diarize(SAMPLE);
    const { segments } = result;
    expect(segments.length).toBeGreaterThan(5);
    segments.forEach((s, i) => {
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(result.duration);
      if (i > 0) expect(s.start).toBeGreaterThanOrEqual(segments[i - 1].start);
    });
    for (const { speaker, seconds } of result.speakers) {
      const total = segments.filter((s) => s.speaker === speaker).reduce((sum, s) => sum + s.end - s.start, 0);
      expect(seconds).toBeCloseTo(total, 2);
    }
    expect(toRttm(segments, 'pyannote_sample').split('\n')[0]).toMatch(/^SPEAKER pyannote_sample 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> SPEAKER_\d\d <NA> <NA>$/);
  });

  it('offers an exclusive diarization with one speaker at a time, covering the same speech', async () => {
    const regular = await engine.diarize(SAMPLE, { numSpeakers: 2 });
    const exclusive = await engine.diarize(SAMPLE, { numSpeakers: 2, exclusive: true });
    expect(exclusive.exclusive).toBe(true);
    expect(overlaps(regular.segments)).toBe(true);
    expect(overlaps(exclusive.segments)).toBe(false);
    // same speech, counted once where two speakers overlap
    const covered = (segments: Segment[]) => computeDer(segments.map((s) => ({ ...s, speaker: 'x' })), []).total;
    expect(covered(exclusive.segments)).toBeCloseTo(covered(regular.segments), 1);
  });

  it('reports progress by stage, never going backwards, ending at done', async () => {
    const seen: Progress[] = [];
    await engine.diarize(SAMPLE, { onProgress: (p) => seen.push(p) });
    const stages = new Set(seen.map((p) => p.stage));
    for (const stage of ['segmentation', 'embeddings', 'clustering', 'reconstruction', 'done']) expect(stages).toContain(stage);
    seen.forEach((p, i) => i > 0 && expect(p.fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction));
    expect(seen[seen.length - 1]).toEqual({ stage: 'done', fraction: 1 });
  });

  it('stops with ABORTED when the caller aborts mid-run', async () => {
    const controller = new AbortController();
    const run = engine.diarize(SAMPLE, {
      signal: controller.signal,
      onProgress: (p) => p.stage === 'embeddings' && controller.abort(),
    });
    expect((await failure(run)).code).toBe('ABORTED');
  });

  it('finds no speaker in silence', async () => {
    const result = await engine.diarize(silence(dir.path, 'silence.wav', 3));
    expect(result.segments).toEqual([]);
    expect(result.speakers).toEqual([]);
    expect(result.duration).toBe(3);
  });

  it.each([
    [{ numSpeakers: 0 }, /numSpeakers: must be a whole number between 1 and 50/],
    [{ minSpeakers: 3, maxSpeakers: 2 }, /minSpeakers: must not be greater than maxSpeakers/],
    [{ numSpeakers: 2, minSpeakers: 3 }, /numSpeakers: must not be less than minSpeakers/],
    [{ numSpeakers: 1.5 }, /must be a whole number/],
    [{ recipe: 'community-1' as const }, /community-1 recipe needs a PLDA/],
    [{ embedding: 'no-such-model' }, /unknown embedding model "no-such-model"/],
  ])('refuses bad options %j before decoding anything', async (options, message) => {
    const error = await failure(engine.diarize(join(dir.path, 'never-read.wav'), options));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toMatch(message);
  });

  it('reproduces pyannote community-1 exactly from its saved intermediates (--replay)', async () => {
    const result = await engine.diarize(join(SAMPLE_FIXTURES, 'clip_16k.wav'), {
      replay: sampleReplay(),
      embedding: 'wespeaker-resnet34-lm',
    });
    expect(result.recipe).toBe('community-1');
    const expected = readFileSync(join(SAMPLE_FIXTURES, 'reference.rttm'), 'utf8');
    expect(toRttm(result.segments, 'clip_16k')).toBe(expected);
    expect(computeDer(reference(join(SAMPLE_FIXTURES, 'reference.rttm')), result.segments).der).toBeLessThanOrEqual(0.01);
  });

  it('gives the 3.1 recipe within 1 % of community-1 on the same intermediates', async () => {
    const result = await engine.diarize(join(SAMPLE_FIXTURES, 'clip_16k.wav'), {
      replay: sampleReplay(),
      embedding: 'wespeaker-resnet34-lm',
      recipe: '3.1',
    });
    expect(result.recipe).toBe('3.1');
    expect(result.speakers).toHaveLength(2);
    expect(computeDer(reference(join(SAMPLE_FIXTURES, 'reference.rttm')), result.segments).der).toBeLessThan(0.01);
  });

  it('runs the embedding model on replayed segmentations alone', async () => {
    const { segmentations } = sampleReplay();
    const result = await engine.diarize(join(SAMPLE_FIXTURES, 'clip_16k.wav'), { replay: { segmentations }, numSpeakers: 2 });
    expect(result.speakers).toHaveLength(2);
  });

  it('accepts an ONNX file with the fbank interface as embedding model (the random ResNet34)', async () => {
    const manifest = loadManifest();
    const random = manifest.models.find((m) => m.id === 'wespeaker-resnet34-random')!;
    const result = await engine.diarize(join(SHARED_EVAL, 'medkit_dialog.ogg'), { embedding: join(testModelsDir(), random.file) });
    expect(result.models.embedding.id).toBe(random.file);
    expect(result.recipe).toBe('3.1');
    expect(result.segments.length).toBeGreaterThan(0);
  });

  it('gives the same result with segmentation in its own thread or in this one', async () => {
    const inThread = await DiarizationEngine.load({ modelsDir: testModelsDir(), embedding: 'openvoice-refenc', segmentationThread: false });
    try {
      const a = await inThread.diarize(SAMPLE);
      const b = await engine.diarize(SAMPLE);
      expect(b.segments).toEqual(a.segments);
    } finally {
      await inThread.dispose();
    }
  });

  it('reuses its default embedding model when a caller names it', async () => {
    const load = jest.spyOn(WaveformEmbedder, 'load');
    try {
      await engine.diarize(join(SHARED_EVAL, 'medkit_dialog.ogg'), { embedding: 'openvoice-refenc' });
      expect(load).not.toHaveBeenCalled();
    } finally {
      load.mockRestore();
    }
  });

  it('refuses audio longer than its maximum duration', async () => {
    const short = await DiarizationEngine.load({ modelsDir: testModelsDir(), embedding: 'openvoice-refenc', maxDurationSeconds: 20 });
    try {
      const error = await failure(short.diarize(SAMPLE));
      expect(error.code).toBe('AUDIO_TOO_LONG');
    } finally {
      await short.dispose();
    }
  });
});

describe('DiarizationEngine model problems', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  const install = (...files: string[]) => files.forEach((f) => copyFileSync(join(testModelsDir(), f), join(dir.path, f)));

  it('names the missing model and the command that installs it', async () => {
    const error = await failure(DiarizationEngine.load({ modelsDir: dir.path }));
    expect(error.code).toBe('MODEL_MISSING');
    expect(error.message).toBe(`no segmentation model is installed in ${dir.path}: run npm run models (or: npm run models -- --from DIR)`);
  });

  it('falls back to the best installed embedding model and says so', async () => {
    install('segmentation-3.0.fp32-from-fp16.onnx', 'speaker-embedding.openvoice-refenc.onnx');
    const engine = await DiarizationEngine.load({ modelsDir: dir.path });
    try {
      expect(engine.description.embedding.id).toBe('openvoice-refenc');
      expect(engine.description.recipe).toBe('3.1');
      expect(engine.description.notices).toEqual([
        'using openvoice-refenc because wespeaker-resnet34-lm is not installed (install it with: npm run models (or: npm run models -- --from DIR))',
      ]);
      const result = await engine.diarize(join(SHARED_EVAL, 'medkit_dialog.ogg'));
      expect(result.notices).toEqual(engine.description.notices);
    } finally {
      await engine.dispose();
    }
  });

  it('refuses a corrupt model file, naming it', async () => {
    install('segmentation-3.0.fp32-from-fp16.onnx', 'speaker-embedding.openvoice-refenc.onnx');
    const path = join(dir.path, 'speaker-embedding.openvoice-refenc.onnx');
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    const error = await failure(DiarizationEngine.load({ modelsDir: dir.path, embedding: 'openvoice-refenc' }));
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toMatch(/^model "openvoice-refenc" \(.*\) is corrupt \(sha256 [0-9a-f]{64} does not match the manifest\): run npm run models/);
  });
});

describe('loadReplayFolder', () => {
  it('refuses a folder without segmentations.npz, saying which', () => {
    expect(() => loadReplayFolder('/nonexistent')).toThrow('replay folder /nonexistent has no segmentations.npz');
  });

  it('reads one array per chunk', () => {
    const replay = loadReplayFolder(SAMPLE_FIXTURES);
    expect(replay.segmentations).toHaveLength(21);
    expect(replay.segmentations![0]).toHaveLength(589 * 3);
    expect(replay.embeddings![20]).toHaveLength(3 * 256);
    expect(replay.dimension).toBe(256);
  });
});
