import { SAMPLE_RATE } from '@diarization/common';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  checkModel,
  describeProblem,
  installHint,
  type EmbeddingModelEntry,
  type Manifest,
  type ModelEntry,
  type PldaModelEntry,
  type SegmentationModelEntry,
} from '@diarization/models';
import { DiarizationError } from '../errors';

export interface Located<T extends ModelEntry> {
  entry: T;
  path: string;
}

export interface PldaFiles {
  transform: string;
  plda: string;
}

/** The 3.1 recipe's settings for embeddings nobody has tuned (pyannote 3.1's values for WeSpeaker). */
const UNTUNED_AGGLOMERATIVE = { threshold: 0.7045654963945799, minClusterSize: 12 };

async function locate<T extends ModelEntry>(manifest: Manifest, entry: T, modelsDir: string): Promise<Located<T>> {
  const status = await checkModel(entry, modelsDir);
  if (status.state === 'missing') throw new DiarizationError('MODEL_MISSING', describeProblem(status, manifest));
  if (status.state === 'corrupt') throw new DiarizationError('MODEL_CORRUPT', describeProblem(status, manifest));
  return { entry, path: status.path };
}

function byRole<R extends ModelEntry['role']>(manifest: Manifest, role: R): Array<Extract<ModelEntry, { role: R }>> {
  return manifest.models.filter((m): m is Extract<ModelEntry, { role: R }> => m.role === role);
}

function unknownModel(id: string, role: string, manifest: Manifest): DiarizationError {
  const known = manifest.models.filter((m) => m.role === role).map((m) => m.id);
  return new DiarizationError('INVALID_OPTIONS', `unknown ${role} model "${id}" (known: ${known.join(', ')})`);
}

/**
 * Picks the first usable model of a role in manifest order (the manifest lists the best first).
 * Says so when it had to pass over a better one.
 */
async function bestInstalled<T extends SegmentationModelEntry | EmbeddingModelEntry>(
  manifest: Manifest,
  candidates: T[],
  modelsDir: string,
  notices: string[],
): Promise<Located<T>> {
  const usable = candidates.filter((c) => !c.benchmarkOnly);
  const passedOver: Array<{ problem: string; hint: string }> = [];
  for (const entry of usable) {
    const status = await checkModel(entry, modelsDir);
    if (status.state === 'installed') {
      if (passedOver.length > 0) notices.push(`using ${entry.id} because ${describePassedOver(passedOver)}`);
      return { entry, path: status.path };
    }
    passedOver.push({
      problem: `${entry.id} is ${status.state === 'missing' ? 'not installed' : 'corrupt'}`,
      hint: installHint(entry, manifest),
    });
  }
  // The best candidate's command: what installs the model the engine would pick.
  const best = usable[0];
  if (!best) throw new DiarizationError('MODEL_MISSING', `the model manifest lists no usable ${candidates[0]?.role ?? ''} model`);
  throw new DiarizationError('MODEL_MISSING', `no ${best.role} model is installed in ${modelsDir}: run ${installHint(best, manifest)}`);
}

/** "A is not installed (install it with: …)", one command per distinct hint. */
function describePassedOver(passedOver: Array<{ problem: string; hint: string }>): string {
  const hints = [...new Set(passedOver.map((p) => p.hint))];
  if (hints.length === 1) return `${passedOver.map((p) => p.problem).join(' and ')} (install it with: ${hints[0]})`;
  return passedOver.map((p) => `${p.problem} (install it with: ${p.hint})`).join(' and ');
}

export async function resolveSegmentation(
  manifest: Manifest,
  modelsDir: string,
  requested: string | undefined,
  notices: string[],
): Promise<Located<SegmentationModelEntry>> {
  const candidates = byRole(manifest, 'segmentation');
  if (requested === undefined) return bestInstalled(manifest, candidates, modelsDir, notices);
  const entry = candidates.find((m) => m.id === requested);
  if (!entry) throw unknownModel(requested, 'segmentation', manifest);
  return locate(manifest, entry, modelsDir);
}

/** `requested` is a manifest id, or a path to an ONNX file with the fbank interface (feats -> embs). */
export async function resolveEmbedding(
  manifest: Manifest,
  modelsDir: string,
  requested: string | undefined,
  notices: string[],
): Promise<Located<EmbeddingModelEntry>> {
  const candidates = byRole(manifest, 'embedding');
  if (requested === undefined) return bestInstalled(manifest, candidates, modelsDir, notices);
  const entry = candidates.find((m) => m.id === requested);
  if (entry) return locate(manifest, entry, modelsDir);
  if (/\.onnx$/i.test(requested) || requested.includes('/')) {
    const path = resolve(requested);
    if (!existsSync(path)) throw new DiarizationError('MODEL_MISSING', `embedding model file ${path} does not exist`);
    return { entry: adHocFbankModel(path), path };
  }
  throw unknownModel(requested, 'embedding', manifest);
}

/** A user-supplied ONNX file with WeSpeaker's interface; not checksummed since it is not in the manifest. */
function adHocFbankModel(path: string): EmbeddingModelEntry {
  return {
    id: basename(path),
    role: 'embedding',
    file: basename(path),
    bytes: 1,
    sha256: '0'.repeat(64),
    license: 'unknown (user-supplied file)',
    description: `user-supplied ONNX file ${path}`,
    urls: [],
    interface: { kind: 'fbank-embedding', input: 'feats', output: 'embs', sampleRate: SAMPLE_RATE, numMelBins: 80, dimension: 256 },
    agglomerative: UNTUNED_AGGLOMERATIVE,
  };
}

export async function resolvePlda(
  manifest: Manifest,
  modelsDir: string,
  embedding: EmbeddingModelEntry,
): Promise<PldaFiles | undefined> {
  if (!embedding.plda) return undefined;
  const find = (id: string) => manifest.models.find((m): m is PldaModelEntry => m.id === id && m.role === 'plda')!;
  const [transform, plda] = await Promise.all([
    locate(manifest, find(embedding.plda.transform), modelsDir),
    locate(manifest, find(embedding.plda.plda), modelsDir),
  ]);
  return { transform: transform.path, plda: plda.path };
}
