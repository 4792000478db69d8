import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DiarizationError } from '../errors';
import { loadNpz, requireArray } from '../numpy';
import type { Replay } from './analyse';

/**
 * pyannote's saved intermediates from a folder (as ../shared/models/fixtures/pyannote_sample has
 * them): segmentations.npz `segmentations` (chunks, frames, speakers) 0/1 and, optionally,
 * raw_embeddings.npz `embeddings` (chunks, speakers, dimension); one array per chunk.
 */
export function loadReplayFolder(dir: string): Replay {
  const segmentationsPath = join(dir, 'segmentations.npz');
  const embeddingsPath = join(dir, 'raw_embeddings.npz');
  if (!existsSync(segmentationsPath)) {
    throw new DiarizationError('INVALID_OPTIONS', `replay folder ${dir} has no segmentations.npz`);
  }
  const replay: Replay = {};
  const segmentations = requireArray(loadNpz(segmentationsPath), 'segmentations', segmentationsPath);
  const [chunks, frames, speakers] = segmentations.shape;
  const activity = Uint8Array.from(segmentations.data as ArrayLike<number>, (v) => (Number(v) > 0.5 ? 1 : 0));
  replay.segmentations = perChunk(activity, chunks, frames * speakers);
  if (existsSync(embeddingsPath)) {
    const embeddings = requireArray(loadNpz(embeddingsPath), 'embeddings', embeddingsPath);
    const [, embeddingSpeakers, dimension] = embeddings.shape;
    const values = Float32Array.from(embeddings.data as ArrayLike<number>, Number);
    replay.embeddings = perChunk(values, embeddings.shape[0], embeddingSpeakers * dimension);
    replay.dimension = dimension;
  }
  return replay;
}

function perChunk<T extends Uint8Array | Float32Array>(values: T, chunks: number, size: number): T[] {
  return Array.from({ length: chunks }, (_, c) => values.slice(c * size, (c + 1) * size) as T);
}
