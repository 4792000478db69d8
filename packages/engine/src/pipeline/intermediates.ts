import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DiarizationError } from '../errors';
import { saveNpz } from '../numpy';
import type { ChunkAnalysis } from './analyse';

/**
 * Writes the streaming pass's output as pyannote's intermediates, in the layout loadReplayFolder
 * reads: segmentations.npz `segmentations` float32 [chunks, frames, local speakers] (0/1) and
 * raw_embeddings.npz `embeddings` float32 [chunks, local speakers, dimension] (NaN where none).
 */
export function saveIntermediates(
  dir: string,
  analysis: ChunkAnalysis,
  layout: { framesPerChunk: number; numLocalSpeakers: number },
): void {
  const { numChunks, dimension } = analysis;
  try {
    mkdirSync(dir, { recursive: true });
    saveNpz(join(dir, 'segmentations.npz'), {
      segmentations: { data: Float32Array.from(analysis.segmentations), shape: [numChunks, layout.framesPerChunk, layout.numLocalSpeakers] },
    });
    saveNpz(join(dir, 'raw_embeddings.npz'), {
      embeddings: { data: analysis.embeddings, shape: [numChunks, layout.numLocalSpeakers, dimension] },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DiarizationError('INVALID_OPTIONS', `could not save the intermediates in ${dir}: ${reason}`, { cause: error });
  }
}
