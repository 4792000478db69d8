import { join } from 'node:path';
import type { BinarySegmentations, EmbeddingSet } from '../../packages/engine/src/clustering/types';
import { loadNpz, requireArray, toFloat64, toInt32, type NpyArray } from '../../packages/engine/src/numpy';
import type { Replay } from '../../packages/engine/src/pipeline/analyse';
import { loadReplayFolder } from '../../packages/engine/src/pipeline/replay-folder';
import { SAMPLE_FIXTURES } from '../shared-paths';

/**
 * pyannote 4.0's saved intermediates for its 30 s sample (../shared/models/fixtures/pyannote_sample):
 * 21 chunks of 589 frames, 3 local speakers, 256-dimensional embeddings.
 */

/** Array `key` of the sample's `file` (an .npz archive). */
export function sampleArray(file: string, key: string): NpyArray {
  return requireArray(loadNpz(join(SAMPLE_FIXTURES, file)), key, file);
}

/** segmentations.npz `segmentations`: (chunks, frames, local speakers), 0/1. */
export function sampleSegmentations(): BinarySegmentations {
  const seg = sampleArray('segmentations.npz', 'segmentations');
  return { data: Uint8Array.from(toFloat64(seg)), numChunks: seg.shape[0], numFrames: seg.shape[1], numLocalSpeakers: seg.shape[2] };
}

/** raw_embeddings.npz `embeddings`: (chunks, local speakers, dimension), NaN rows for no embedding. */
export function sampleEmbeddings(): EmbeddingSet {
  const raw = sampleArray('raw_embeddings.npz', 'embeddings');
  return { data: Float32Array.from(toFloat64(raw)), numChunks: raw.shape[0], numLocalSpeakers: raw.shape[1], dimension: raw.shape[2] };
}

/** The sample's embeddings and segmentations, as the clustering takes them. */
export function loadSample(): { embeddings: EmbeddingSet; segmentations: BinarySegmentations } {
  return { embeddings: sampleEmbeddings(), segmentations: sampleSegmentations() };
}

/** clustering.npz `hard_clusters`: community-1's cluster per (chunk, local speaker), -2 for inactive ones. */
export function sampleHardClusters(): Int32Array {
  return toInt32(sampleArray('clustering.npz', 'hard_clusters'));
}

/** The segmentations and embeddings as the engine's `replay` option takes them: one array per chunk. */
export function sampleReplay(): Required<Replay> {
  return loadReplayFolder(SAMPLE_FIXTURES) as Required<Replay>;
}
