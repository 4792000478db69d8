import type { Readable } from 'node:stream';
import { decodeAudio } from '../audio/decode';
import { DiarizationError, throwIfAborted } from '../errors';
import type { SpeakerEmbedder } from '../embedding/types';
import type { SpeakerSegmenter } from '../segmentation/segmenter';
import { WindowChunker } from '../segmentation/window-chunker';
import type { Stage } from '../types';
import { embeddingMasks, minNumFrames } from './embedding-masks';
import { Growable } from './growable';

/** pyannote's saved intermediates, used in place of running the models (parity checks). */
export interface Replay {
  /** One [frames * localSpeakers] 0/1 array per chunk. */
  segmentations?: Uint8Array[];
  /** One [localSpeakers * dimension] array per chunk. */
  embeddings?: Float32Array[];
  dimension?: number;
}

export interface ChunkAnalysis {
  /** [numChunks * framesPerChunk * localSpeakers] */
  segmentations: Uint8Array;
  /** [numChunks * localSpeakers * dimension], NaN rows where there is no embedding */
  embeddings: Float32Array;
  dimension: number;
  numChunks: number;
  numSamples: number;
  /** Samples between window starts. */
  stepSamples: number;
  /** Seconds each model was busy; segmentation may run in its own thread, overlapping the rest. */
  segmentationSeconds: number;
  embeddingSeconds: number;
}

export interface AnalyseOptions {
  segmenter: SpeakerSegmenter;
  embedder?: SpeakerEmbedder;
  replay?: Replay;
  /** Windows per segmentation batch. */
  batchSize: number;
  /** Samples between window starts (default: the segmenter's, 1 s). */
  stepSamples?: number;
  maxDurationSeconds?: number;
  /** The caller's ffmpeg (EngineConfig.ffmpegPath). */
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** `fraction` is the share of the audio processed so far. */
  onProgress?: (stage: Stage, fraction: number) => void;
}

/**
 * One streaming pass over the audio: decode, cut into windows, segment them and embed every
 * (window, local speaker) while the window's samples are at hand, then drop the samples. What
 * stays in memory is small per second of audio (the 0/1 segmentation and the embeddings).
 */
export async function analyseAudio(source: string | Readable, options: AnalyseOptions): Promise<ChunkAnalysis> {
  const { segmenter, embedder, replay } = options;
  const dimension = replay?.embeddings ? replay.dimension ?? replay.embeddings[0]?.length / segmenter.numLocalSpeakers : embedder?.dimension;
  if (!dimension) throw new Error('analyseAudio needs an embedder or replayed embeddings');
  const framesPerChunk = segmenter.geometry.framesPerChunk;
  const minFrames = minNumFrames(framesPerChunk, embedder?.minNumSamples ?? 0, segmenter.windowSamples);
  const segmentations = new Growable(Uint8Array, framesPerChunk * segmenter.numLocalSpeakers * 64);
  const embeddings = new Growable(Float32Array, segmenter.numLocalSpeakers * dimension * 64);
  const stepSamples = options.stepSamples ?? segmenter.stepSamples;
  const chunker = new WindowChunker(segmenter.windowSamples, stepSamples);
  let declaredSamples: number | undefined;
  let numChunks = 0;
  let submitted = 0;
  let embeddingSeconds = 0;
  const stream = {};
  const segmentationStart = segmenter.busySeconds;
  const report = (stage: Stage, chunksDone: number) => {
    if (!options.onProgress || !declaredSamples) return;
    options.onProgress(stage, Math.min(1, (chunksDone * stepSamples) / declaredSamples));
  };

  interface Batch {
    first: number;
    windows: Float32Array[];
    segmented: Promise<Uint8Array[]>;
  }
  const embedBatch = async ({ first, windows, segmented }: Batch) => {
    const segmentation = await segmented;
    report('segmentation', first + windows.length);
    throwIfAborted(options.signal);
    const started = performance.now();
    const embedded = replay?.embeddings
      ? windows.map((_, i) => replayed(replay.embeddings!, first + i, 'embeddings'))
      : await embedder!.embed(
          windows.map((window, i) => ({
            window,
            startSample: (first + i) * stepSamples,
            stream,
            masks: embeddingMasks(segmentation[i], framesPerChunk, segmenter.numLocalSpeakers, minFrames),
          })),
        );
    embeddingSeconds += (performance.now() - started) / 1000;
    segmentation.forEach((s) => segmentations.append(s));
    embedded.forEach((e) => embeddings.append(e));
    numChunks += windows.length;
    report('embeddings', numChunks);
  };
  // Segmentation of one batch runs (in its own thread) while the previous batch is embedded.
  let inFlight: Batch | undefined;
  const submit = async (windows: Float32Array[]) => {
    throwIfAborted(options.signal);
    const first = submitted;
    submitted += windows.length;
    const segmented = replay?.segmentations
      ? Promise.resolve(windows.map((_, i) => replayed(replay.segmentations!, first + i, 'segmentations')))
      : segmenter.segment(windows);
    segmented.catch(() => undefined); // awaited below; this only marks the rejection as handled meanwhile
    const previous = inFlight;
    inFlight = { first, windows, segmented };
    if (previous) await embedBatch(previous);
  };

  let pending: Float32Array[] = [];
  const decoding = decodeAudio(source, {
    sampleRate: segmenter.sampleRate,
    maxDurationSeconds: options.maxDurationSeconds,
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    onDuration: (seconds) => {
      declaredSamples = seconds ? seconds * segmenter.sampleRate : undefined;
      options.onProgress?.('decoding', 0);
    },
  });
  for await (const block of decoding) {
    pending.push(...chunker.push(block));
    if (pending.length >= options.batchSize) {
      await submit(pending);
      pending = [];
    }
  }
  const last = chunker.finish();
  if (last) pending.push(last);
  if (pending.length > 0) await submit(pending);
  if (inFlight) await embedBatch(inFlight);
  if (replay?.segmentations && replay.segmentations.length !== numChunks) {
    throw new DiarizationError(
      'INVALID_OPTIONS',
      `the replayed segmentations hold ${replay.segmentations.length} chunks, the audio has ${numChunks}`,
    );
  }
  return {
    segmentations: segmentations.toArray(),
    embeddings: embeddings.toArray(),
    dimension,
    numChunks,
    numSamples: chunker.totalSamples,
    stepSamples,
    segmentationSeconds: segmenter.busySeconds - segmentationStart,
    embeddingSeconds,
  };
}

function replayed<T>(values: T[], index: number, what: string): T {
  if (index >= values.length) {
    throw new DiarizationError('INVALID_OPTIONS', `the replayed ${what} hold ${values.length} chunks, the audio has more`);
  }
  return values[index];
}
