import { linearSumAssignment } from '@diarization/engine/assignment';
import type { ElementaryInterval } from './elementary-intervals';

/**
 * Total time each (reference, hypothesis) speaker pair is active together,
 * row-major with one row per reference speaker.
 */
export function cooccurrenceMatrix(
  intervals: readonly ElementaryInterval[],
  numReferenceSpeakers: number,
  numHypothesisSpeakers: number,
): Float64Array {
  const cooccurrence = new Float64Array(numReferenceSpeakers * numHypothesisSpeakers);
  for (const interval of intervals) {
    const duration = interval.end - interval.start;
    for (const r of interval.reference) {
      for (const h of interval.hypothesis) cooccurrence[r * numHypothesisSpeakers + h] += duration;
    }
  }
  return cooccurrence;
}

/**
 * One-to-one speaker mapping that maximises the total co-occurrence (Hungarian algorithm).
 * Returns, for each hypothesis speaker, its reference speaker index or -1. Like pyannote.metrics,
 * pairs that never speak together are left unmapped: they would not change the score.
 */
export function optimalHypothesisToReference(
  cooccurrence: Float64Array,
  numReferenceSpeakers: number,
  numHypothesisSpeakers: number,
): Int32Array {
  const referenceOf = new Int32Array(numHypothesisSpeakers).fill(-1);
  const { rows, columns } = linearSumAssignment(cooccurrence, numReferenceSpeakers, numHypothesisSpeakers, true);
  rows.forEach((r, k) => {
    const h = columns[k];
    if (cooccurrence[r * numHypothesisSpeakers + h] > 0) referenceOf[h] = r;
  });
  return referenceOf;
}
