import { BinarySegmentations, EmbeddingSet, TrainingSelection } from './types';

/** pyannote 4.0 keeps speakers that speak alone for at least this fraction of the chunk. */
export const DEFAULT_MIN_ACTIVE_RATIO = 0.2;

function checkShapes(embeddings: EmbeddingSet, segmentations: BinarySegmentations): void {
  if (embeddings.data.length !== embeddings.numChunks * embeddings.numLocalSpeakers * embeddings.dimension) {
    throw new Error('embeddings: data length does not match numChunks * numLocalSpeakers * dimension');
  }
  if (segmentations.data.length !== segmentations.numChunks * segmentations.numFrames * segmentations.numLocalSpeakers) {
    throw new Error('segmentations: data length does not match numChunks * numFrames * numLocalSpeakers');
  }
  if (embeddings.numChunks !== segmentations.numChunks || embeddings.numLocalSpeakers !== segmentations.numLocalSpeakers) {
    throw new Error('embeddings and segmentations disagree on numChunks or numLocalSpeakers');
  }
}

/** True when no component of the (chunk, speaker) embedding is NaN. */
export function hasValidEmbedding(embeddings: EmbeddingSet, chunk: number, speaker: number): boolean {
  const start = (chunk * embeddings.numLocalSpeakers + speaker) * embeddings.dimension;
  for (let d = 0; d < embeddings.dimension; d++) if (Number.isNaN(embeddings.data[start + d])) return false;
  return true;
}

/** Number of frames where each (chunk, speaker) is active, [chunk * numLocalSpeakers + speaker]. */
export function activeFrameCounts(segmentations: BinarySegmentations): Int32Array {
  const { numChunks, numFrames, numLocalSpeakers, data } = segmentations;
  const counts = new Int32Array(numChunks * numLocalSpeakers);
  for (let c = 0; c < numChunks; c++) {
    for (let f = 0; f < numFrames; f++) {
      const row = (c * numFrames + f) * numLocalSpeakers;
      for (let s = 0; s < numLocalSpeakers; s++) counts[c * numLocalSpeakers + s] += data[row + s];
    }
  }
  return counts;
}

/** Frames where the speaker is the only active one, [chunk * numLocalSpeakers + speaker]. */
function cleanFrameCounts(segmentations: BinarySegmentations): Int32Array {
  const { numChunks, numFrames, numLocalSpeakers, data } = segmentations;
  const counts = new Int32Array(numChunks * numLocalSpeakers);
  for (let c = 0; c < numChunks; c++) {
    for (let f = 0; f < numFrames; f++) {
      const row = (c * numFrames + f) * numLocalSpeakers;
      let active = 0;
      for (let s = 0; s < numLocalSpeakers; s++) active += data[row + s];
      if (active !== 1) continue;
      for (let s = 0; s < numLocalSpeakers; s++) counts[c * numLocalSpeakers + s] += data[row + s];
    }
  }
  return counts;
}

/** Row-major (np.where) order of the (chunk, speaker) pairs that pass `keep`. */
function selectWhere(embeddings: EmbeddingSet, keep: (chunk: number, speaker: number) => boolean): TrainingSelection {
  const chunks: number[] = [];
  const speakers: number[] = [];
  for (let c = 0; c < embeddings.numChunks; c++) {
    for (let s = 0; s < embeddings.numLocalSpeakers; s++) {
      if (keep(c, s) && hasValidEmbedding(embeddings, c, s)) {
        chunks.push(c);
        speakers.push(s);
      }
    }
  }
  return { chunkIndices: Int32Array.from(chunks), speakerIndices: Int32Array.from(speakers) };
}

/**
 * pyannote 4.0 `filter_embeddings`: valid embeddings of speakers whose single-speaker frames
 * number at least `minActiveRatio * numFrames`.
 */
export function selectCleanSpeakers(
  embeddings: EmbeddingSet,
  segmentations: BinarySegmentations,
  minActiveRatio = DEFAULT_MIN_ACTIVE_RATIO,
): TrainingSelection {
  checkShapes(embeddings, segmentations);
  const clean = cleanFrameCounts(segmentations);
  const minimum = minActiveRatio * segmentations.numFrames;
  return selectWhere(embeddings, (c, s) => clean[c * embeddings.numLocalSpeakers + s] >= minimum);
}

/** pyannote 3.1 `filter_embeddings`: valid embeddings of speakers active in at least one frame. */
export function selectActiveSpeakers(embeddings: EmbeddingSet, segmentations: BinarySegmentations): TrainingSelection {
  checkShapes(embeddings, segmentations);
  const active = activeFrameCounts(segmentations);
  return selectWhere(embeddings, (c, s) => active[c * embeddings.numLocalSpeakers + s] > 0);
}

/** The selected embeddings as a (numSelected x dimension) Float64Array. */
export function gatherEmbeddings(embeddings: EmbeddingSet, selection: TrainingSelection): Float64Array {
  const { dimension, numLocalSpeakers, data } = embeddings;
  const out = new Float64Array(selection.chunkIndices.length * dimension);
  for (let i = 0; i < selection.chunkIndices.length; i++) {
    const start = (selection.chunkIndices[i] * numLocalSpeakers + selection.speakerIndices[i]) * dimension;
    for (let d = 0; d < dimension; d++) out[i * dimension + d] = data[start + d];
  }
  return out;
}
