import { DEFAULT_MAX_AUDIO_SECONDS } from '@diarization/common';
import {
  DEFAULT_MODELS_DIR,
  ensureEmbeddingParts,
  GraphMismatchError,
  loadManifest,
  type AgglomerativeSettings,
  type EmbeddingModelEntry,
  type Manifest,
  type SegmentationModelEntry,
} from '@diarization/models';
import { Plda } from './clustering';
import { FrameSelectionEmbedder } from './embedding/frame-selection-embedder';
import type { SpeakerEmbedder } from './embedding/types';
import { WaveformEmbedder } from './embedding/waveform-embedder';
import { WeightedPoolingEmbedder } from './embedding/weighted-pooling-embedder';
import { DiarizationError, isDiarizationError, throwIfAborted } from './errors';
import { resolveEmbedding, resolvePlda, resolveSegmentation } from './models/resolve';
import type { SessionSettings } from './onnx/session';
import { checkVoiceprintModels, identifySpeakers } from './identification/identify';
import { embeddingModelRef } from './identification/model-ref';
import { defaultIdentifyThreshold, modelCalibration } from './identification/model-calibration';
import { dominantVoice, VOICE_CLIP_MAX_SECONDS } from './identification/enrollment';
import { validateOptions } from './options';
import { summarizeSpeakers } from './output/segments';
import { analyseAudio, type ChunkAnalysis, type Replay } from './pipeline/analyse';
import { assembleDiarization } from './pipeline/assemble';
import { saveIntermediates } from './pipeline/intermediates';
import { toSpeakerEmbeddings } from './pipeline/speaker-centroids';
import { Segmenter, type SpeakerSegmenter } from './segmentation/segmenter';
import { SegmenterWorker } from './segmentation/segmenter-worker';
import type {
  AudioInput,
  DiarizationResult,
  DiarizeOptions,
  EmbeddingMethod,
  EngineConfig,
  ModelInfo,
  Recipe,
  Stage,
  VoiceEmbedding,
} from './types';

export interface EngineDescription {
  segmentation: ModelInfo;
  embedding: ModelInfo;
  /** The default embedding model's reference, as voiceprints made with it carry it (embeddingModelRef). */
  embeddingModel: string;
  recipe: Recipe;
  notices: string[];
}

/** Default longest audio: 4 hours (the service's MAX_AUDIO_SECONDS default, packages/common). */
export const DEFAULT_MAX_DURATION_SECONDS = DEFAULT_MAX_AUDIO_SECONDS;
/**
 * Windows per segmentation run: 1. The model runs in its own thread, overlapping the embeddings,
 * so larger batches were not faster end to end (5 minutes, 2 cores), and each window costs about
 * 50 MiB of activations (SincNet's first layer).
 */
export const DEFAULT_SEGMENTATION_BATCH = 1;

export interface EmbeddingComponents {
  entry: EmbeddingModelEntry;
  file: string;
  /** Absent when only the model's settings are needed (replayed embeddings). */
  embedder?: SpeakerEmbedder;
  plda?: Plda;
  notices: string[];
}

/** Options only the parity and tuning tools use. */
export interface InternalDiarizeOptions extends DiarizeOptions {
  /** pyannote's intermediates to use in place of running the models. */
  replay?: Replay;
  /** Overrides the embedding model's 3.1-recipe clustering settings. */
  agglomerative?: Partial<AgglomerativeSettings>;
  /**
   * Writes the streaming pass's intermediates to this folder in the layout `replay` reads
   * (segmentations.npz, raw_embeddings.npz), so that a run can be compared with pyannote's.
   */
  saveIntermediates?: string;
  /** A lower limit than the engine's on the audio's duration (voice clips). */
  maxDurationSeconds?: number;
}

/** The result of the streaming pass, ready to be clustered (possibly several times). */
export interface AnalysedAudio {
  readonly analysis: ChunkAnalysis;
  readonly embedding: EmbeddingComponents;
  /** Wall-clock seconds of the pass. */
  readonly seconds: number;
}

function reportProgress(options: DiarizeOptions, stage: Stage, fraction: number): void {
  const start = STAGE_START[stage];
  options.onProgress?.({ stage, fraction: Math.min(1, start + fraction * (STAGE_START.clustering - start)) });
}

/** Overall progress reached when each stage starts (the streaming pass is most of the work). */
const STAGE_START: Record<Stage, number> = {
  decoding: 0,
  segmentation: 0,
  embeddings: 0,
  clustering: 0.95,
  reconstruction: 0.98,
  done: 1,
};

/** Loads the models once and diarizes many files; the same code serves the CLI, the worker and the tests. */
export class DiarizationEngine {
  private readonly embeddings = new Map<string, Promise<EmbeddingComponents>>();

  private constructor(
    private readonly loading: EmbeddingLoading,
    private readonly audio: { maxDurationSeconds: number; ffmpegPath?: string },
    private readonly segmenter: SpeakerSegmenter,
    private readonly segmentationInfo: ModelInfo,
    private readonly defaultEmbedding: EmbeddingComponents,
    private readonly loadNotices: string[],
    private readonly segmentationBatch: number,
  ) {}

  static async load(config: EngineConfig = {}): Promise<DiarizationEngine> {
    const manifest = wrapManifestError(() => loadManifest(config.manifestPath));
    // The caller resolves MODELS_DIR (packages/config, the CLIs); the engine reads no environment.
    const modelsDir = config.modelsDir ?? DEFAULT_MODELS_DIR;
    const settings = { providers: config.executionProviders ?? ['cpu'], intraOpThreads: config.intraOpThreads ?? 0 };
    const notices: string[] = [];
    const segmentation = await resolveSegmentation(manifest, modelsDir, config.segmentation, notices);
    const segmenter = await asModelError(segmentation.entry.id, () =>
      loadSegmenter(segmentation.entry, segmentation.path, settings, config),
    );
    if (segmenter.notice) notices.push(segmenter.notice);
    const loading: EmbeddingLoading = {
      manifest,
      modelsDir,
      settings,
      segmenter,
      method: config.embeddingMethod ?? 'weighted-pooling',
      batchSize: config.embeddingBatchSize ?? 1,
    };
    let embedding: EmbeddingComponents;
    try {
      embedding = await loadEmbeddingComponents(loading, config.embedding, true);
    } catch (error) {
      await segmenter.dispose();
      throw error;
    }
    const engine = new DiarizationEngine(
      loading,
      { maxDurationSeconds: config.maxDurationSeconds ?? DEFAULT_MAX_DURATION_SECONDS, ffmpegPath: config.ffmpegPath },
      segmenter,
      { id: segmentation.entry.id, file: segmentation.path },
      embedding,
      notices,
      config.segmentationBatchSize ?? DEFAULT_SEGMENTATION_BATCH,
    );
    engine.embeddings.set(embeddingKey(engine.defaultEmbedding.entry.id, true), Promise.resolve(engine.defaultEmbedding));
    return engine;
  }

  get description(): EngineDescription {
    return {
      segmentation: this.segmentationInfo,
      embedding: { id: this.defaultEmbedding.entry.id, file: this.defaultEmbedding.file },
      embeddingModel: embeddingModelRef(this.defaultEmbedding.entry, this.defaultEmbedding.file),
      recipe: this.defaultEmbedding.plda ? 'community-1' : '3.1',
      notices: [...this.loadNotices, ...this.defaultEmbedding.notices],
    };
  }

  async diarize(source: AudioInput, options: InternalDiarizeOptions = {}): Promise<DiarizationResult> {
    return this.assemble(await this.analyse(source, options), options);
  }

  /**
   * A voiceprint from a clip of up to 30 s: the centroid of the embeddings of the speaker who
   * speaks most in it, computed exactly as `speakerEmbeddings` are, so that it compares with them.
   */
  async embedVoice(input: AudioInput, options: { signal?: AbortSignal; embedding?: string } = {}): Promise<VoiceEmbedding> {
    let analysed: AnalysedAudio;
    try {
      analysed = await this.analyse(input, { signal: options.signal, embedding: options.embedding, maxDurationSeconds: VOICE_CLIP_MAX_SECONDS });
    } catch (error) {
      if (isDiarizationError(error) && error.code === 'AUDIO_TOO_LONG') {
        throw new DiarizationError('AUDIO_TOO_LONG', `a voice clip may be at most ${VOICE_CLIP_MAX_SECONDS} s long: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return dominantVoice(this.assemble(analysed, { embedding: options.embedding, returnEmbeddings: true }));
  }

  /**
   * The streaming pass (decode, segment, embed). Together with `assemble` this is `diarize`;
   * split so that tools can cluster the same analysis with other settings (threshold tuning).
   */
  async analyse(source: AudioInput, options: InternalDiarizeOptions = {}): Promise<AnalysedAudio> {
    const validated = validateOptions(options);
    const embedding = await this.embeddingFor(validated.embedding, !options.replay?.embeddings);
    this.recipeFor(validated.recipe, embedding); // fail on a bad recipe before the expensive part
    checkVoiceprintModels(validated.voiceprints, embeddingModelRef(embedding.entry, embedding.file));
    const started = performance.now();
    const analysis = await analyseAudio(source, {
      segmenter: this.segmenter,
      embedder: embedding.embedder,
      replay: options.replay,
      batchSize: this.segmentationBatch,
      stepSamples: Math.round(validated.windowStep * this.segmenter.sampleRate),
      maxDurationSeconds: Math.min(this.audio.maxDurationSeconds, options.maxDurationSeconds ?? Infinity),
      ffmpegPath: this.audio.ffmpegPath,
      signal: options.signal,
      onProgress: (stage, fraction) => reportProgress(options, stage, stage === 'decoding' ? 0 : fraction),
    });
    throwIfAborted(options.signal);
    if (options.saveIntermediates) {
      saveIntermediates(options.saveIntermediates, analysis, { framesPerChunk: this.segmenter.geometry.framesPerChunk, numLocalSpeakers: this.segmenter.numLocalSpeakers });
    }
    return { analysis, embedding, seconds: (performance.now() - started) / 1000 };
  }

  /** Everything after the models: count, cluster, reconstruct, name the speakers. */
  assemble(analysed: AnalysedAudio, options: InternalDiarizeOptions = {}): DiarizationResult {
    const validated = validateOptions(options);
    const { analysis, embedding } = analysed;
    const recipe = this.recipeFor(validated.recipe, embedding);
    const duration = analysis.numSamples / this.segmenter.sampleRate;
    const assembled = assembleDiarization(
      analysis,
      { ...this.segmenter.geometry, chunkStep: analysis.stepSamples / this.segmenter.sampleRate },
      this.segmenter.numLocalSpeakers,
      duration,
      validated.bounds,
      validated.exclusive,
      {
        recipe,
        plda: embedding.plda,
        agglomerative: { ...embedding.entry.agglomerative, ...options.agglomerative },
        confidenceFloor: modelCalibration(embedding.entry.id).confidenceFloor,
      },
      (stage) => reportProgress(options, stage, 0),
    );
    const notices = [...this.loadNotices, ...embedding.notices];
    const { minSpeakers, maxSpeakers } = validated.bounds;
    if (assembled.numClusters > 0 && (assembled.numClusters < minSpeakers || assembled.numClusters > maxSpeakers)) {
      notices.push(
        `found ${assembled.numClusters} speaker(s), outside the requested ${minSpeakers}..${maxSpeakers}: the audio may be too short for that many`,
      );
    }
    const model = embeddingModelRef(embedding.entry, embedding.file);
    checkVoiceprintModels(validated.voiceprints, model);
    const speakers = summarizeSpeakers(assembled.segments);
    options.onProgress?.({ stage: 'done', fraction: 1 });
    return {
      ...(validated.returnEmbeddings && { speakerEmbeddings: toSpeakerEmbeddings(model, assembled.centroids) }),
      ...(validated.voiceprints.length > 0 && {
        identification: identifySpeakers({
          speakers: speakers.map(({ speaker }) => ({ speaker, embedding: assembled.centroids.get(speaker) })),
          voiceprints: validated.voiceprints,
          threshold: validated.identifyThreshold ?? defaultIdentifyThreshold(embedding.entry.id),
        }),
      }),
      segments: assembled.segments,
      exclusive: validated.exclusive,
      duration: Math.round(duration * 1000) / 1000,
      speakers,
      recipe,
      models: { segmentation: this.segmentationInfo, embedding: { id: embedding.entry.id, file: embedding.file } },
      notices,
      timings: {
        streaming: analysed.seconds,
        segmentation: analysis.segmentationSeconds,
        embeddings: analysis.embeddingSeconds,
        clustering: assembled.clusteringSeconds,
        reconstruction: assembled.reconstructionSeconds,
        total: analysed.seconds + assembled.clusteringSeconds + assembled.reconstructionSeconds,
      },
    };
  }

  private async embeddingFor(requested: string | undefined, needsModel: boolean): Promise<EmbeddingComponents> {
    return requested ? this.embeddingComponents(requested, needsModel) : this.defaultEmbedding;
  }

  private recipeFor(requested: Recipe | undefined, embedding: EmbeddingComponents): Recipe {
    const recipe = requested ?? (embedding.plda ? 'community-1' : '3.1');
    if (recipe === 'community-1' && !embedding.plda) {
      throw new DiarizationError(
        'INVALID_OPTIONS',
        `the community-1 recipe needs a PLDA, and embedding model "${embedding.entry.id}" has none: use the 3.1 recipe`,
      );
    }
    return recipe;
  }

  private embeddingComponents(requested: string, needsModel: boolean): Promise<EmbeddingComponents> {
    const key = embeddingKey(requested, needsModel);
    // a loaded model also serves callers that only need its settings
    let components = this.embeddings.get(key) ?? this.embeddings.get(embeddingKey(requested, true));
    if (!components) {
      components = loadEmbeddingComponents(this.loading, requested, needsModel);
      components.catch(() => this.embeddings.delete(key)); // let a later call retry after a failure
      this.embeddings.set(key, components);
    }
    return components;
  }

  async dispose(): Promise<void> {
    await this.segmenter.dispose();
    for (const components of this.embeddings.values()) {
      const loaded = await components.catch(() => undefined);
      await loaded?.embedder?.dispose();
    }
    this.embeddings.clear();
  }
}

/** Cache key of an embedding model's components, with or without its ONNX session. */
function embeddingKey(id: string, withModel: boolean): string {
  return `${id}:${withModel}`;
}

/** What loading an embedding model needs besides its id. */
interface EmbeddingLoading {
  manifest: Manifest;
  modelsDir: string;
  settings: Omit<SessionSettings, 'graphOptimizationLevel'>;
  segmenter: SpeakerSegmenter;
  method: EmbeddingMethod;
  /** Windows per trunk run (weighted pooling). */
  batchSize: number;
}

async function loadEmbeddingComponents(loading: EmbeddingLoading, requested: string | undefined, withModel: boolean): Promise<EmbeddingComponents> {
  const { manifest, modelsDir, settings, segmenter } = loading;
  const notices: string[] = [];
  const located = withModel
    ? await resolveEmbedding(manifest, modelsDir, requested, notices)
    : settingsOnly(manifest, requested);
  const pldaFiles = await resolvePlda(manifest, modelsDir, located.entry).catch((error: unknown) => {
    // Without its PLDA the model still works with the 3.1 recipe: say so rather than refuse.
    if (!isDiarizationError(error) || error.code !== 'MODEL_MISSING') throw error;
    notices.push(`the community-1 recipe is unavailable, using 3.1: ${error.message}`);
    return undefined;
  });
  const plda = pldaFiles ? await asModelError('community-1-plda', async () => Plda.load(pldaFiles.transform, pldaFiles.plda)) : undefined;
  let embedder: SpeakerEmbedder | undefined;
  if (withModel) {
    const { entry, path } = located;
    embedder = await asModelError<SpeakerEmbedder>(entry.id, async () => {
      if (entry.interface.kind === 'waveform-embedding') {
        return WaveformEmbedder.load(entry, path, settings, {
          frameStepSamples: segmenter.geometry.frameStep * segmenter.sampleRate,
          receptiveFieldSamples: segmenter.geometry.frameDuration * segmenter.sampleRate,
        });
      }
      if (loading.method === 'frame-selection') return FrameSelectionEmbedder.load(entry, path, settings);
      // manifest models keep their derived trunk and head beside them; a user's own file is split in memory
      const inManifest = manifest.models.includes(entry);
      const parts = await ensureEmbeddingParts(path, inManifest ? { outDir: modelsDir, sourceSha256: entry.sha256 } : {});
      return WeightedPoolingEmbedder.load(entry, parts, settings, loading.batchSize);
    });
    if (embedder.notice) notices.push(embedder.notice);
  }
  return { entry: located.entry, file: located.path, embedder, plda, notices };
}

/** The manifest entry alone, for replayed embeddings (the ONNX file need not be installed). */
function settingsOnly(manifest: Manifest, requested: string | undefined): { entry: EmbeddingModelEntry; path: string } {
  const entry = manifest.models.find((m): m is EmbeddingModelEntry => m.role === 'embedding' && m.id === requested);
  if (!entry) throw new DiarizationError('INVALID_OPTIONS', `replayed embeddings need the id of the model that made them (got "${requested}")`);
  return { entry, path: `(replayed ${entry.id} embeddings)` };
}

/**
 * The segmentation model in its own thread when possible, so that it overlaps the embeddings,
 * with one onnxruntime thread by default (the embeddings use the others); else in this thread.
 */
async function loadSegmenter(
  entry: SegmentationModelEntry,
  path: string,
  settings: Omit<SessionSettings, 'graphOptimizationLevel'>,
  config: EngineConfig,
): Promise<SpeakerSegmenter> {
  if ((config.segmentationThread ?? true) && SegmenterWorker.available()) {
    return SegmenterWorker.load(entry, path, { ...settings, intraOpThreads: config.segmentationThreads ?? 1 });
  }
  return Segmenter.load(entry, path, settings);
}

async function asModelError<T>(modelId: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isDiarizationError(error)) throw error;
    if (error instanceof GraphMismatchError) throw new DiarizationError('MODEL_CORRUPT', error.message, { cause: error });
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DiarizationError('MODEL_CORRUPT', `model "${modelId}" could not be loaded: ${reason}`, { cause: error });
  }
}

function wrapManifestError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new DiarizationError('MODEL_MISSING', error instanceof Error ? error.message : String(error), { cause: error });
  }
}
