import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadNpz, requireArray, type Replay } from '@diarization/engine';
import { UsageError } from './run-main';

/**
 * pyannote's saved intermediates (as in ../shared/models/fixtures/pyannote_sample):
 * segmentations.npz `segmentations` (chunks, frames, speakers) 0/1, and raw_embeddings.npz
 * `embeddings` (chunks, speakers, dimension).
 */
export function loadReplay(dir: string): Replay {
  const segmentationsPath = join(dir, 'segmentations.npz');
  const embeddingsPath = join(dir, 'raw_embeddings.npz');
  const replay: Replay = {};
  if (existsSync(segmentationsPath)) {
    const array = requireArray(loadNpz(segmentationsPath), 'segmentations', segmentationsPath);
    const [chunks, frames, speakers] = array.shape;
    const values = Uint8Array.from(array.data as ArrayLike<number>, (v) => (Number(v) > 0.5 ? 1 : 0));
    const size = frames * speakers;
    replay.segmentations = Array.from({ length: chunks }, (_, c) => values.slice(c * size, (c + 1) * size));
  }
  if (existsSync(embeddingsPath)) {
    if (!replay.segmentations) throw new UsageError(`${embeddingsPath} needs segmentations.npz beside it (embeddings follow its chunks)`);
    const array = requireArray(loadNpz(embeddingsPath), 'embeddings', embeddingsPath);
    const [chunks, speakers, dimension] = array.shape;
    const values = Float32Array.from(array.data as ArrayLike<number>, Number);
    const size = speakers * dimension;
    replay.embeddings = Array.from({ length: chunks }, (_, c) => values.slice(c * size, (c + 1) * size));
    replay.dimension = dimension;
  }
  if (!replay.segmentations) throw new UsageError(`--replay ${dir}: no segmentations.npz or raw_embeddings.npz there`);
  return replay;
}
