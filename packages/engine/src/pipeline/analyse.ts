import type { Readable } from 'node:stream';
import { decodeAudio } from '../audio/decode';
import { DiarizationError } from '../errors';
import type { SpeakerEmbedder } from '../embedding/types';
import type { Segmenter } from '../segmentation/segmenter';
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
  /** Seconds spent running each model (the rest of the pass is decoding and bookkeeping). */
  segmentationSeconds: number;
  embeddingSeconds: number;
}

export interface AnalyseOptions {
  segmenter: Segmenter;
  embedder?: SpeakerEmbedder;
  replay?: Replay;
  /** Windows per segmentation batch. */
  batchSize: number;
  maxDurationSeconds?: number;
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
  const chunker = new WindowChunker(segmenter.windowSamples, segmenter.stepSamples);
  let declaredSamples: number | undefined;
  let numChunks = 0;
  let segmentationSeconds = 0;
  let embeddingSeconds = 0;

  const process = async (windows: Float32Array[]) => {
    options.signal?.throwIfAborted();
    const first = numChunks;
    let started = performance.now();
    const segmented = replay?.segmentations
      ? windows.map((_, i) => replayed(replay.segmentations!, first + i, 'segmentations'))
      : await segmenter.segment(windows);
    segmentationSeconds += (performance.now() - started) / 1000;
    report('segmentation', first + windows.length);
    started = performance.now();
    const embedded = replay?.embeddings
      ? windows.map((_, i) => replayed(replay.embeddings!, first + i, 'embeddings'))
      : await embedder!.embed(
          windows.map((window, i) => ({
            window,
            startSample: (first + i) * segmenter.stepSamples,
            masks: embeddingMasks(segmented[i], framesPerChunk, segmenter.numLocalSpeakers, minFrames),
          })),
        );
    embeddingSeconds += (performance.now() - started) / 1000;
    segmented.forEach((s) => segmentations.append(s));
    embedded.forEach((e) => embeddings.append(e));
    numChunks += windows.length;
    report('embeddings', numChunks);
  };
  const report = (stage: Stage, chunksDone: number) => {
    if (!options.onProgress || !declaredSamples) return;
    options.onProgress(stage, Math.min(1, (chunksDone * segmenter.stepSamples) / declaredSamples));
  };

  let pending: Float32Array[] = [];
  const decoding = decodeAudio(source, {
    sampleRate: segmenter.sampleRate,
    maxDurationSeconds: options.maxDurationSeconds,
    signal: options.signal,
    onDuration: (seconds) => {
      declaredSamples = seconds ? seconds * segmenter.sampleRate : undefined;
      options.onProgress?.('decoding', 0);
    },
  });
  for await (const block of decoding) {
    pending.push(...chunker.push(block));
    if (pending.length >= options.batchSize) {
      await process(pending);
      pending = [];
    }
  }
  const last = chunker.finish();
  if (last) pending.push(last);
  if (pending.length > 0) await process(pending);
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
    segmentationSeconds,
    embeddingSeconds,
  };
}

function replayed<T>(values: T[], index: number, what: string): T {
  if (index >= values.length) {
    throw new DiarizationError('INVALID_OPTIONS', `the replayed ${what} hold ${values.length} chunks, the audio has more`);
  }
  return values[index];
}
