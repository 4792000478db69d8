import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '@diarization/common';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const tensorName = z.string().min(1);

const segmentationInterface = z.object({
  kind: z.literal('powerset-segmentation'),
  input: tensorName,
  output: tensorName,
  sampleRate: z.number().int().positive(),
  windowSamples: z.number().int().positive(),
  frameStepSamples: z.number().int().positive(),
  receptiveFieldSamples: z.number().int().positive(),
  localSpeakers: z.number().int().positive(),
  maxSpeakersPerFrame: z.number().int().positive(),
  graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']),
});

const fbankEmbeddingInterface = z.object({
  kind: z.literal('fbank-embedding'),
  input: tensorName,
  output: tensorName,
  sampleRate: z.number().int().positive(),
  numMelBins: z.number().int().positive(),
  dimension: z.number().int().positive(),
});

const waveformEmbeddingInterface = z.object({
  kind: z.literal('waveform-embedding'),
  input: tensorName,
  output: tensorName,
  sampleRate: z.number().int().positive(),
  maxSeconds: z.number().positive(),
  dimension: z.number().int().positive(),
});

const agglomerativeSettings = z.object({
  threshold: z.number().positive(),
  minClusterSize: z.number().int().positive(),
  /** How the threshold was chosen, for models whose threshold is not pyannote's. */
  tuning: z.string().optional(),
});

/** Transforms the installer can apply to one installed model file to make another (models/src/derive.ts). */
export const DERIVATION_TRANSFORMS = ['widen-fp16'] as const;

/**
 * A model file the installer can make from another entry's file: it installs that entry first
 * (download or --from), applies the transform and checks the result against this entry's own
 * bytes and sha256, so a derived file is exactly as verified as a downloaded one.
 */
const derivation = z.object({
  /** The id of the entry whose file is the input. */
  model: z.string().min(1),
  transform: z.enum(DERIVATION_TRANSFORMS),
});

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lowercase letters, digits, dots and dashes'),
  file: z.string().regex(/^[^/\\]+$/, 'a plain file name'),
  bytes: z.number().int().positive(),
  sha256,
  license: z.string().min(1),
  description: z.string().min(1),
  urls: z.array(z.string().url()),
  /** Made at install time from another entry's file when no URL works (or there is none). */
  derivedFrom: derivation.optional(),
  /**
   * The download needs HF_TOKEN: a Hugging Face token of an account that accepted the
   * conditions of the (gated) repository its huggingface.co URL points into.
   */
  gated: z.boolean().optional(),
  benchmarkOnly: z.boolean().optional(),
};

const segmentationModel = z.object({ ...common, role: z.literal('segmentation'), interface: segmentationInterface });
const embeddingModel = z.object({
  ...common,
  role: z.literal('embedding'),
  interface: z.discriminatedUnion('kind', [fbankEmbeddingInterface, waveformEmbeddingInterface]),
  /** PLDA entries that make the community-1 (VBx) recipe available for this model. */
  plda: z.object({ transform: z.string(), plda: z.string() }).optional(),
  /** Settings of the 3.1 recipe (agglomerative clustering) for this model's embeddings. */
  agglomerative: agglomerativeSettings,
});
const pldaModel = z.object({ ...common, role: z.literal('plda') });

const modelEntry = z.discriminatedUnion('role', [segmentationModel, embeddingModel, pldaModel]);

export const manifestSchema = z
  .object({ version: z.literal(1), models: z.array(modelEntry).min(1) })
  .superRefine((manifest, context) => {
    const ids = new Set<string>();
    for (const model of manifest.models) {
      if (ids.has(model.id)) context.addIssue({ code: 'custom', message: `duplicate model id ${model.id}` });
      ids.add(model.id);
    }
    for (const model of manifest.models) {
      if (model.derivedFrom) {
        const source = manifest.models.find((m) => m.id === model.derivedFrom!.model);
        if (!source) {
          context.addIssue({ code: 'custom', message: `${model.id} is derived from unknown model ${model.derivedFrom.model}` });
        } else if (source.id === model.id) {
          context.addIssue({ code: 'custom', message: `${model.id} is derived from itself` });
        } else if (source.derivedFrom) {
          context.addIssue({ code: 'custom', message: `${model.id} is derived from ${source.id}, which is itself derived (not supported)` });
        }
      }
      if (model.gated && model.urls.length === 0) {
        context.addIssue({ code: 'custom', message: `${model.id} is gated but has no download URL` });
      }
    }
    for (const model of manifest.models) {
      if (model.role !== 'embedding' || !model.plda) continue;
      for (const reference of [model.plda.transform, model.plda.plda]) {
        const target = manifest.models.find((m) => m.id === reference);
        if (!target || target.role !== 'plda') {
          context.addIssue({ code: 'custom', message: `${model.id} refers to unknown PLDA entry ${reference}` });
        }
      }
    }
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ModelEntry = z.infer<typeof modelEntry>;
export type SegmentationModelEntry = z.infer<typeof segmentationModel>;
export type EmbeddingModelEntry = z.infer<typeof embeddingModel>;
export type PldaModelEntry = z.infer<typeof pldaModel>;
export type SegmentationInterface = z.infer<typeof segmentationInterface>;
export type FbankEmbeddingInterface = z.infer<typeof fbankEmbeddingInterface>;
export type WaveformEmbeddingInterface = z.infer<typeof waveformEmbeddingInterface>;
export type AgglomerativeSettings = z.infer<typeof agglomerativeSettings>;
export type Derivation = z.infer<typeof derivation>;

/** models/manifest.json of this checkout. */
export const DEFAULT_MANIFEST_PATH = resolve(__dirname, '..', 'manifest.json');

/** Where model files are installed by default: models/weights in the checkout. */
export const DEFAULT_MODELS_DIR = resolve(__dirname, '..', 'weights');

/**
 * The models folder a command-line caller's environment names: MODELS_DIR, or the default when
 * it is unset or empty (as in .env.example). The caller passes its environment; libraries (the
 * engine) take the folder from their caller and read no environment.
 */
export function defaultModelsDir(env: { MODELS_DIR?: string }): string {
  return resolve(env.MODELS_DIR?.trim() || DEFAULT_MODELS_DIR);
}

export function parseManifest(json: unknown, source = 'manifest'): Manifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source} is invalid: ${describeZodError(parsed.error, { rootLabel: '(root)' })}`);
  }
  return parsed.data;
}

export function loadManifest(path: string = DEFAULT_MANIFEST_PATH): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read the model manifest ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the model manifest ${path} is not valid JSON`);
  }
  return parseManifest(json, path);
}

export function findModel(manifest: Manifest, id: string): ModelEntry | undefined {
  return manifest.models.find((model) => model.id === id);
}
