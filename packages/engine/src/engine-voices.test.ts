import { join } from 'node:path';
import { DiarizationEngine } from './engine';
import { loadNpz, requireArray, toFloat64 } from './numpy';
import type { DiarizationResult, Segment, VoiceprintRef } from './types';
import { SAMPLE_FIXTURES, SHARED_EVAL } from '../../../test/shared-paths';
import { ffmpegMake, silence } from '../../../test/support/audio-formats';
import { failure } from '../../../test/support/diarization-error';
import { testModelsDir } from '../../../test/support/models';
import { sampleReplay } from '../../../test/support/pyannote-fixtures';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';

const SAMPLE = join(SHARED_EVAL, 'pyannote_sample.wav');

/** `source` cut down to `ranges` (seconds), concatenated, as a 16 kHz WAV. */
function cut(dir: string, source: string, ranges: readonly Pick<Segment, 'start' | 'end'>[], name: string): string {
  const out = join(dir, name);
  const select = ranges.map((r) => `between(t,${r.start},${r.end})`).join('+');
  ffmpegMake(['-i', source, '-af', `aselect='${select}',asetpts=N/SR/TB`, '-ar', '16000', '-ac', '1', out]);
  return out;
}

/** Where the speaker speaks and no other speaker does. */
function soloSegments(result: DiarizationResult, speaker: string): Array<{ start: number; end: number }> {
  const others = result.segments.filter((s) => s.speaker !== speaker);
  return result.segments
    .filter((s) => s.speaker === speaker)
    .flatMap((s) => {
      let parts = [{ start: s.start, end: s.end }];
      for (const o of others) {
        parts = parts.flatMap((p) => [
          { start: p.start, end: Math.min(p.end, o.start) },
          { start: Math.max(p.start, o.end), end: p.end },
        ]).filter((q) => q.end - q.start > 0.05);
      }
      return parts;
    });
}

describe('speaker embeddings, confidence and identification with the real models', () => {
  let engine: DiarizationEngine;
  let dir: TempDir;
  let sample: DiarizationResult;
  beforeAll(async () => {
    dir = makeTempDir();
    engine = await DiarizationEngine.load({ modelsDir: testModelsDir(), embedding: 'openvoice-refenc' });
    sample = await engine.diarize(SAMPLE, { numSpeakers: 2, returnEmbeddings: true });
  });
  afterAll(async () => {
    await engine.dispose();
    dir.remove();
  });

  it('returns one centroid per output speaker, tagged with the model that made it, and confidences in 0..1', () => {
    expect(engine.description.embeddingModel).toMatch(/^openvoice-refenc@[0-9a-f]{8}$/);
    expect(sample.speakerEmbeddings?.model).toBe(engine.description.embeddingModel);
    expect(sample.speakerEmbeddings?.vectors.map((v) => v.speaker)).toEqual(sample.speakers.map((s) => s.speaker));
    sample.speakerEmbeddings?.vectors.forEach((v) => {
      expect(v.embedding).toHaveLength(256);
      v.embedding.forEach((x) => expect(Number.isFinite(x)).toBe(true));
    });
    for (const { confidence } of [...sample.segments, ...sample.speakers]) {
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
    expect(sample.segments.some((s) => s.confidence > 0.5)).toBe(true);
    expect(sample.identification).toBeUndefined();
  });

  it('leaves the embeddings out unless asked', async () => {
    const plain = await engine.diarize(SAMPLE, { numSpeakers: 2 });
    expect(plain.speakerEmbeddings).toBeUndefined();
    expect(plain.segments.map(({ confidence: _c, ...s }) => s)).toEqual(sample.segments.map(({ confidence: _c, ...s }) => s));
  });

  it("gives community-1's own centroids (speaker_embeddings) from its saved intermediates", async () => {
    const result = await engine.diarize(join(SAMPLE_FIXTURES, 'clip_16k.wav'), {
      replay: sampleReplay(),
      embedding: 'wespeaker-resnet34-lm',
      returnEmbeddings: true,
    });
    const centroids = requireArray(loadNpz(join(SAMPLE_FIXTURES, 'clustering.npz')), 'centroids', 'clustering.npz');
    const expected = toFloat64(centroids);
    const [numClusters, dimension] = centroids.shape;
    expect(result.speakers.map((s) => s.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect(result.speakerEmbeddings?.model).toMatch(/^wespeaker-resnet34-lm@[0-9a-f]{8}$/);
    const vectors = result.speakerEmbeddings!.vectors;
    expect(vectors).toHaveLength(numClusters);
    vectors.forEach((v, k) => {
      expect(v.speaker).toBe(`SPEAKER_0${k}`);
      v.embedding.forEach((x, d) => expect(x).toBeCloseTo(expected[k * dimension + d], 4));
    });
  });

  it('identifies a speaker from a voiceprint enrolled from its own speech in the file', async () => {
    const target = [...sample.speakers].sort((a, b) => b.seconds - a.seconds)[0].speaker;
    const clip = cut(dir.path, SAMPLE, soloSegments(sample, target), 'target.wav');
    const voice = await engine.embedVoice(clip);
    expect(voice.model).toBe(engine.description.embeddingModel);
    expect(voice.speechSeconds).toBeGreaterThan(2);
    const voiceprint: VoiceprintRef = { id: 'vp-1', label: 'Ada', model: voice.model, embedding: voice.embedding };
    const result = await engine.diarize(SAMPLE, { numSpeakers: 2, voiceprints: [voiceprint] });
    expect(result.identification?.map((i) => i.speaker)).toEqual(result.speakers.map((s) => s.speaker));
    const identified = result.identification!.find((i) => i.speaker === target)!;
    expect(identified.voiceprint).toEqual({ id: 'vp-1', label: 'Ada', score: expect.any(Number) });
    expect(identified.voiceprint!.score).toBeGreaterThanOrEqual(0.85);
    expect(result.identification!.filter((i) => i.voiceprint !== null)).toHaveLength(1);
  });

  it('never gives two speakers the same voiceprint, even when both voiceprints are of one voice', async () => {
    const target = [...sample.speakers].sort((a, b) => b.seconds - a.seconds)[0].speaker;
    const voice = await engine.embedVoice(cut(dir.path, SAMPLE, soloSegments(sample, target), 'again.wav'));
    // two enrollments of the same voice: the target speaker is closest to both
    const voiceprints = ['vp-a', 'vp-b'].map((id) => ({ id, label: id, model: voice.model, embedding: voice.embedding }));
    const result = await engine.diarize(SAMPLE, { numSpeakers: 2, voiceprints, identifyThreshold: -1 });
    const ids = result.identification!.flatMap((i) => (i.voiceprint ? [i.voiceprint.id] : []));
    expect(ids).toHaveLength(2); // the threshold lets every pair match: both speakers get one
    expect(new Set(ids).size).toBe(2);
    const strict = await engine.diarize(SAMPLE, { numSpeakers: 2, voiceprints, identifyThreshold: 0.85 });
    const named = strict.identification!.flatMap((i) => (i.voiceprint ? [i.voiceprint.id] : []));
    expect(new Set(named).size).toBe(named.length);
    expect(strict.identification!.find((i) => i.speaker === target)!.voiceprint).not.toBeNull();
  });

  it('refuses a voiceprint of another embedding model before reading the audio', async () => {
    const foreign: VoiceprintRef = { id: 'vp-x', label: 'Bob', model: 'wespeaker-resnet34-lm@0123abcd', embedding: [1, 2, 3] };
    const error = await failure(engine.diarize(join(dir.path, 'never-read.wav'), { voiceprints: [foreign] }));
    expect(error.code).toBe('voiceprint_model_mismatch');
    expect(error.message).toContain('wespeaker-resnet34-lm@0123abcd');
    expect(error.message).toContain(engine.description.embeddingModel);
    expect(error.message).toMatch(/re-enroll/);
  });

  it("enrolls with the run's embedding model when asked, and such a voiceprint is refused by another model", async () => {
    const target = [...sample.speakers].sort((a, b) => b.seconds - a.seconds)[0].speaker;
    const clip = cut(dir.path, SAMPLE, soloSegments(sample, target), 'other-model.wav');
    const voice = await engine.embedVoice(clip, { embedding: 'wespeaker-resnet34-random' });
    expect(voice.model).toMatch(/^wespeaker-resnet34-random@[0-9a-f]{8}$/);
    const voiceprint: VoiceprintRef = { id: 'vp-r', label: 'Random', model: voice.model, embedding: voice.embedding };
    const same = await engine.diarize(SAMPLE, { numSpeakers: 2, embedding: 'wespeaker-resnet34-random', voiceprints: [voiceprint], identifyThreshold: -1 });
    expect(same.identification!.filter((i) => i.voiceprint?.id === 'vp-r')).toHaveLength(1);
    const error = await failure(engine.diarize(SAMPLE, { voiceprints: [voiceprint] }));
    expect(error.code).toBe('voiceprint_model_mismatch');
  });

  it('refuses a voice clip longer than 30 s, and one without speech', async () => {
    const long = await failure(engine.embedVoice(join(SHARED_EVAL, 'pyaudioanalysis_diarizationExample.wav')));
    expect(long.code).toBe('AUDIO_TOO_LONG');
    expect(long.message).toMatch(/^a voice clip may be at most 30 s long/);
    const quiet = await failure(engine.embedVoice(silence(dir.path, 'quiet.wav', 4)));
    expect(quiet.code).toBe('NOT_ENOUGH_SPEECH');
    expect(quiet.message).toMatch(/at least 2 s/);
  });
});
