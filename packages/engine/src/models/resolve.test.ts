import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModel, loadManifest, parseManifest, type EmbeddingModelEntry, type Manifest } from '@diarization/models';
import { SHARED_MODELS } from '../../../../test/shared-paths';
import { failure } from '../../../../test/support/diarization-error';
import { resolveEmbedding, resolvePlda, resolveSegmentation } from './resolve';

const PLAIN = 'npm run models (or: npm run models -- --from DIR)';

/** The manifest with some entries changed (e.g. their URLs taken away). */
function edited(changes: Record<string, Record<string, unknown>>): Manifest {
  const manifest = loadManifest();
  return parseManifest({ ...manifest, models: manifest.models.map((m) => ({ ...m, ...changes[m.id] })) });
}

describe('model resolution notices', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resolve-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('offers plain npm run models for a missing segmentation model, since segmentation-3.0 is derived from a download', async () => {
    const error = await failure(resolveSegmentation(loadManifest(), dir, undefined, []));
    expect(error.code).toBe('MODEL_MISSING');
    expect(error.message).toBe(`no segmentation model is installed in ${dir}: run ${PLAIN}`);
  });

  it('offers only --from DIR when the best model has no download and no derivation', async () => {
    const manifest = edited({ 'segmentation-3.0': { derivedFrom: undefined } });
    const error = await failure(resolveSegmentation(manifest, dir, undefined, []));
    expect(error.message).toBe(
      `no segmentation model is installed in ${dir}: run npm run models -- --from DIR, with DIR a folder that holds segmentation-3.0.fp32-from-fp16.onnx (it has no download URL)`,
    );
    const requested = await failure(resolveSegmentation(manifest, dir, 'segmentation-3.0', []));
    expect(requested.message).toMatch(/^model "segmentation-3.0" \(.*\) is not installed: run npm run models -- --from DIR, with DIR a folder/);
  });

  it('says the gated community-1 files need HF_TOKEN', async () => {
    const manifest = loadManifest();
    const error = await failure(resolvePlda(manifest, dir, findModel(manifest, 'wespeaker-resnet34-lm') as EmbeddingModelEntry));
    expect(error.code).toBe('MODEL_MISSING');
    expect(error.message).toMatch(
      /is not installed: run npm run models with HF_TOKEN set to a Hugging Face token of an account that accepted the conditions of https:\/\/huggingface.co\/pyannote\/speaker-diarization-community-1 \(or: npm run models -- --from DIR\)$/,
    );
  });

  it('names the one command that can install a missing benchmark model', async () => {
    const error = await failure(resolveEmbedding(loadManifest(), dir, 'wespeaker-resnet34-random', []));
    expect(error.message).toMatch(/is not installed: run npm run models -- --from DIR, with DIR a folder that holds wespeaker-resnet34-arch.random-weights.onnx/);
  });

  it('says how to install the better model it passed over, per model', async () => {
    copyFileSync(join(SHARED_MODELS, 'speaker-embedding.openvoice-refenc.onnx'), join(dir, 'speaker-embedding.openvoice-refenc.onnx'));
    const notices: string[] = [];
    const located = await resolveEmbedding(loadManifest(), dir, undefined, notices);
    expect(located.entry.id).toBe('openvoice-refenc');
    expect(notices).toEqual([`using openvoice-refenc because wespeaker-resnet34-lm is not installed (install it with: ${PLAIN})`]);

    const offline: string[] = [];
    await resolveEmbedding(edited({ 'wespeaker-resnet34-lm': { urls: [] } }), dir, undefined, offline);
    expect(offline).toEqual([
      'using openvoice-refenc because wespeaker-resnet34-lm is not installed (install it with: npm run models -- --from DIR, ' +
        'with DIR a folder that holds wespeaker-voxceleb-resnet34-LM.onnx (it has no download URL))',
    ]);
  });
});
