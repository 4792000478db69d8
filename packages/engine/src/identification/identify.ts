import { VoiceprintModelMismatchError } from '../errors';
import { linearSumAssignment } from '../math/linear-sum-assignment';
import type { SpeakerIdentification, VoiceprintRef } from '../types';

/** Refuses the first voiceprint made with another model than `modelInUse` (before any work). */
export function checkVoiceprintModels(voiceprints: readonly VoiceprintRef[], modelInUse: string): void {
  const foreign = voiceprints.find((v) => v.model !== modelInUse);
  if (foreign) throw new VoiceprintModelMismatchError(foreign, modelInUse);
}

/** Cosine similarity; NaN when either vector is zero or their lengths differ. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return dot / Math.sqrt(normA * normB);
}

export interface IdentifyInput {
  /** Every output speaker, in output order; `embedding` is absent for a speaker without a centroid. */
  speakers: { speaker: string; embedding?: ArrayLike<number> }[];
  voiceprints: readonly VoiceprintRef[];
  /** Lowest similarity that counts as a match. */
  threshold: number;
}

/** Stands for a missing similarity (a speaker without a centroid) in the assignment: below every cosine. */
const NO_SIMILARITY = -2;

/**
 * Each speaker gets the voiceprint that the one-to-one assignment of maximal total cosine
 * similarity (Hungarian algorithm) gives it, kept only when that similarity reaches `threshold`,
 * else null: no two speakers share an identity, and raising the threshold only ever turns an
 * identity into "unknown", never into another identity. The score is rounded to 3 decimals.
 */
export function identifySpeakers({ speakers, voiceprints, threshold }: IdentifyInput): SpeakerIdentification[] {
  const similarities = new Float64Array(speakers.length * voiceprints.length);
  speakers.forEach(({ embedding }, i) => {
    voiceprints.forEach((voiceprint, j) => {
      const similarity = embedding ? cosineSimilarity(embedding, voiceprint.embedding) : NaN;
      similarities[i * voiceprints.length + j] = Number.isNaN(similarity) ? NO_SIMILARITY : similarity;
    });
  });
  const { rows, columns } = linearSumAssignment(similarities, speakers.length, voiceprints.length, true);
  const matched = new Map<number, number>();
  rows.forEach((row, i) => {
    if (similarities[row * voiceprints.length + columns[i]] >= threshold) matched.set(row, columns[i]);
  });
  return speakers.map(({ speaker }, i) => {
    const j = matched.get(i);
    if (j === undefined) return { speaker, voiceprint: null };
    const { id, label } = voiceprints[j];
    return { speaker, voiceprint: { id, label, score: Math.round(similarities[i * voiceprints.length + j] * 1000) / 1000 } };
  });
}
