/** Public types of the diarization engine (audio in, speaker segments out). */
import type { Readable } from 'node:stream';

/** What diarize() and embedVoice() read: a file path (anything ffmpeg reads) or a byte stream. */
export type AudioInput = string | Readable;

/** Which pyannote pipeline to follow for clustering. */
export type Recipe = '3.1' | 'community-1';
export const RECIPES: readonly Recipe[] = ['3.1', 'community-1'];

export type ExecutionProvider = 'cpu' | 'cuda';

/**
 * How fbank (WeSpeaker) models embed a (chunk, speaker): `weighted-pooling` is pyannote 3.1 and
 * community-1 (the network on the whole chunk, the speaker's mask as pooling weights; the
 * default); `frame-selection` is pyannote 3.0 and sherpa-onnx (the network on the speaker's frames).
 */
export type EmbeddingMethod = 'weighted-pooling' | 'frame-selection';
export const EMBEDDING_METHODS: readonly EmbeddingMethod[] = ['weighted-pooling', 'frame-selection'];

/**
 * `default`: pyannote's own settings. `fast`: windows every 3 s instead of 1 s (each second is
 * seen 3 or 4 times instead of 10), about 3x faster; on ../shared/eval its core-set DER is within
 * a point of the default's (npm run eval -- --speed-dial).
 */
export type Preset = 'default' | 'fast';
export const PRESETS: Readonly<Record<Preset, { windowStep: number }>> = {
  default: { windowStep: 1 },
  fast: { windowStep: 3 },
};

export type Stage = 'decoding' | 'segmentation' | 'embeddings' | 'clustering' | 'reconstruction' | 'done';

export interface Progress {
  stage: Stage;
  /** Progress of the whole run, 0..1. */
  fraction: number;
}

export interface DiarizeOptions {
  /** Exact number of speakers, when known. */
  numSpeakers?: number;
  minSpeakers?: number;
  maxSpeakers?: number;
  /** Return the exclusive diarization (one speaker at a time), for aligning transcripts. */
  exclusive?: boolean;
  /** Overrides the recipe chosen from the embedding model. */
  recipe?: Recipe;
  /** Manifest id of the embedding model, or a path to an ONNX file with the fbank interface. */
  embedding?: string;
  /**
   * Seconds between the starts of consecutive 10 s windows (pyannote's segmentation_step x 10 s;
   * default 1). Larger is faster: each second of audio is seen by 10 / windowStep windows.
   */
  windowStep?: number;
  /** A named set of speed settings (see PRESETS); explicit settings override it. */
  preset?: Preset;
  /** Add `speakerEmbeddings` (one centroid per output speaker) to the result. */
  returnEmbeddings?: boolean;
  /** Identify the output speakers against these voiceprints (made with the same embedding model). */
  voiceprints?: VoiceprintRef[];
  /** Lowest cosine similarity that counts as a match (default: the embedding model's tuned value). */
  identifyThreshold?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** A known voice: an enrolled speaker's embedding, and the model that made it (see embeddingModelRef). */
export interface VoiceprintRef {
  id: string;
  label: string;
  model: string;
  embedding: number[];
}

export interface Segment {
  speaker: string;
  /** Seconds, rounded to the millisecond. */
  start: number;
  end: number;
  /** 0..1: how surely this speaker speaks here (see pipeline/confidence.ts; README "Speaker embeddings and confidence"). */
  confidence: number;
}

export interface SpeakerSummary {
  speaker: string;
  /** Total speaking time in seconds. */
  seconds: number;
  /** 0..1: the speaker's segment confidences, weighted by duration. */
  confidence: number;
}

/** One centroid per output speaker, in the embedding model's raw space. */
export interface SpeakerEmbeddings {
  /** The embedding model's reference (manifest id @ sha256 prefix), as voiceprints carry it. */
  model: string;
  /** In speaker order; a speaker without a centroid (only when a forced count exceeds the clusters found) is absent. */
  vectors: { speaker: string; embedding: number[] }[];
}

/** Which voiceprint each output speaker matched, or null. */
export interface SpeakerIdentification {
  speaker: string;
  voiceprint: { id: string; label: string; score: number } | null;
}

/** A voice enrolled from a short clip (embedVoice). */
export interface VoiceEmbedding {
  model: string;
  embedding: number[];
  /** Seconds of the dominant speaker's speech the embedding was made from. */
  speechSeconds: number;
}

export interface ModelInfo {
  id: string;
  file: string;
}

export interface DiarizationResult {
  /** Sorted by start, then speaker. */
  segments: Segment[];
  /** Whether `segments` is the exclusive (non-overlapping) diarization. */
  exclusive: boolean;
  /** Audio duration in seconds. */
  duration: number;
  speakers: SpeakerSummary[];
  recipe: Recipe;
  models: { segmentation: ModelInfo; embedding: ModelInfo };
  /** Things the caller should know, e.g. that a weaker embedding model was used. */
  notices: string[];
  /** Wall-clock seconds per stage of this run. */
  timings: StageTimings;
  /** With `returnEmbeddings`. */
  speakerEmbeddings?: SpeakerEmbeddings;
  /** With `voiceprints`: one entry per output speaker, in speaker order. */
  identification?: SpeakerIdentification[];
}

export interface StageTimings {
  /** The streaming pass: decoding, segmentation and embeddings, which overlap inside it. */
  streaming: number;
  /** Time the segmentation model was busy (in its own thread, overlapping the embeddings). */
  segmentation: number;
  /** Time the embedding model and its features were busy. */
  embeddings: number;
  clustering: number;
  reconstruction: number;
  total: number;
}

export interface EngineConfig {
  /** Folder holding the installed model files (the caller's MODELS_DIR; default models/weights in the checkout). */
  modelsDir?: string;
  /** ffmpeg to decode with (the caller's FFMPEG_PATH); default, or when it does not run: ffmpeg on PATH, then the bundled one. */
  ffmpegPath?: string;
  /** Path of models/manifest.json. */
  manifestPath?: string;
  executionProviders?: ExecutionProvider[];
  /** Threads per ONNX session (0 = onnxruntime's default). */
  intraOpThreads?: number;
  /** Longest accepted audio, in seconds. */
  maxDurationSeconds?: number;
  /** Default embedding model (manifest id or ONNX path). */
  embedding?: string;
  /** How fbank embedding models are run (default `weighted-pooling`, pyannote 3.1 / community-1). */
  embeddingMethod?: EmbeddingMethod;
  /**
   * Windows per run of the embedding trunk with `weighted-pooling` (default 1): larger batches
   * were not faster on CPU and each window adds about 60 MiB of activations.
   */
  embeddingBatchSize?: number;
  /** Default segmentation model (manifest id). */
  segmentation?: string;
  /** Windows per segmentation run (default 1): larger uses about 50 MiB more per window, and was not faster. */
  segmentationBatchSize?: number;
  /** Run the segmentation model in its own thread, overlapping the embeddings (default true). */
  segmentationThread?: boolean;
  /** onnxruntime threads of the segmentation model when it has its own thread (default 1). */
  segmentationThreads?: number;
}
