import type { DiarizationResult } from '@diarization/engine/io';
import { findModel, loadManifest } from '@diarization/models';
import { storedResultSchema, summarize, toLegacyResponse, toRttm, toStoredResult, withoutPaths, type StoredResult } from './index';

const result: StoredResult = {
  id: 'job-1',
  duration: 10.5,
  exclusive: false,
  segments: [
    { speaker: 'SPEAKER_00', start: 0.5, end: 3.2 },
    { speaker: 'SPEAKER_01', start: 3.0, end: 7.25 },
  ],
  speakers: [
    { speaker: 'SPEAKER_01', seconds: 4.25 },
    { speaker: 'SPEAKER_00', seconds: 2.7 },
  ],
  recipe: 'community-1',
  models: { segmentation: { id: 'seg', sha256: null }, embedding: { id: 'emb', sha256: null } },
  notices: [],
};

describe('result formats', () => {
  it('gives the legacy body with exactly speakers and duration', () => {
    const legacy = toLegacyResponse(result);
    expect(Object.keys(legacy).sort()).toEqual(['duration', 'speakers']);
    expect(legacy).toEqual({
      speakers: [
        { speaker: 'SPEAKER_00', start: 0.5, end: 3.2 },
        { speaker: 'SPEAKER_01', start: 3.0, end: 7.25 },
      ],
      duration: 10.5,
    });
  });

  it('writes RTTM lines with onset and duration, and a file id without spaces', () => {
    expect(toRttm(result, 'my meeting')).toBe(
      'SPEAKER my_meeting 1 0.500 2.700 <NA> <NA> SPEAKER_00 <NA> <NA>\n' +
        'SPEAKER my_meeting 1 3.000 4.250 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
  });

  it('summarizes speakers and counts', () => {
    expect(summarize(result)).toEqual({
      duration: 10.5,
      num_speakers: 2,
      num_segments: 2,
      exclusive: false,
      speakers: result.speakers,
    });
  });
});

/** Every string in a JSON document that holds an absolute path ("/srv/...", "C:\\..."). */
function absolutePaths(document: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(document, (_key, value: unknown) => {
    if (typeof value === 'string' && /(^|[\s("'=])(\/[^\s/]|[A-Za-z]:\\)/.test(value)) found.push(value);
    return value;
  });
  return found;
}

describe('models in stored results', () => {
  const manifest = loadManifest();
  const modelsDir = '/work/main/models/weights';
  const engineResult: DiarizationResult = {
    segments: [{ speaker: 'SPEAKER_00', start: 0, end: 1.5 }],
    exclusive: false,
    duration: 2,
    speakers: [{ speaker: 'SPEAKER_00', seconds: 1.5 }],
    recipe: 'community-1',
    models: {
      segmentation: { id: 'segmentation-3.0', file: `${modelsDir}/segmentation-3.0.fp32-from-fp16.onnx` },
      embedding: { id: 'wespeaker-resnet34-lm', file: `${modelsDir}/wespeaker-voxceleb-resnet34-LM.onnx` },
    },
    notices: [`the community-1 recipe is unavailable, using 3.1: model "community-1-plda" (${modelsDir}/plda.npz) is not installed: run npm run models`],
    timings: { streaming: 1, segmentation: 0.5, embeddings: 0.5, clustering: 0.1, reconstruction: 0.1, total: 1.2 },
  } as DiarizationResult;
  const sha = (id: string): string => findModel(manifest, id)!.sha256.slice(0, 12);

  it('names models by manifest id and sha256 prefix, with no path anywhere in the result', () => {
    const stored = toStoredResult('job-1', engineResult, manifest);
    expect(stored.models).toEqual({
      segmentation: { id: 'segmentation-3.0', sha256: sha('segmentation-3.0') },
      embedding: { id: 'wespeaker-resnet34-lm', sha256: sha('wespeaker-resnet34-lm') },
    });
    expect(stored.notices).toEqual(['the community-1 recipe is unavailable, using 3.1: model "community-1-plda" (plda.npz) is not installed: run npm run models']);
    expect(absolutePaths(stored)).toEqual([]);
    expect(JSON.stringify(stored)).not.toContain(modelsDir);
    // What the worker stores is what readers accept.
    expect(storedResultSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('reads the installed manifest by default', () => {
    expect(toStoredResult('job-1', engineResult).models.segmentation).toEqual({ id: 'segmentation-3.0', sha256: sha('segmentation-3.0') });
  });

  it("gives a user's own model file by name, without a checksum", () => {
    const own = { ...engineResult, models: { ...engineResult.models, embedding: { id: 'my-embedding.onnx', file: '/home/someone/models/my-embedding.onnx' } } };
    const stored = toStoredResult('job-2', own, manifest);
    expect(stored.models.embedding).toEqual({ id: 'my-embedding.onnx', sha256: null });
    expect(absolutePaths(stored)).toEqual([]);
  });

  it('drops the paths of results stored before, when they are read', () => {
    const old = {
      ...result,
      models: {
        segmentation: { id: 'segmentation-3.0', file: `${modelsDir}/segmentation-3.0.fp32-from-fp16.onnx` },
        embedding: { id: 'wespeaker-resnet34-lm', file: `${modelsDir}/wespeaker-voxceleb-resnet34-LM.onnx` },
      },
      notices: [`model "community-1-plda" (${modelsDir}/plda.npz) is not installed`],
    };
    const read = storedResultSchema.parse(old);
    expect(read.models).toEqual({ segmentation: { id: 'segmentation-3.0', sha256: null }, embedding: { id: 'wespeaker-resnet34-lm', sha256: null } });
    expect(absolutePaths(read)).toEqual([]);
  });

  it('keeps URLs and relative names in messages, shortening only absolute paths', () => {
    expect(withoutPaths('see https://huggingface.co/pyannote/x and /srv/models/a.onnx, or ./b.onnx 1/2')).toBe(
      'see https://huggingface.co/pyannote/x and a.onnx, or ./b.onnx 1/2',
    );
    expect(withoutPaths('/models/weights/')).toBe('weights');
  });
});
