import { elementaryIntervals } from './elementary-intervals';
import { cooccurrenceMatrix, optimalHypothesisToReference } from './optimal-mapping';
import type { Segment, TimeRange } from './segment';
import { speakerActivity } from './speaker-activity';
import { extentOfRanges, unionOfRanges } from './time-ranges';

export interface DerOptions {
  /**
   * Regions to score (the file's UEM). Without one, the extent of reference ∪ hypothesis is scored,
   * as pyannote.metrics does: everything either side annotated, including hypothesis speech
   * before or after the reference.
   */
  uem?: readonly TimeRange[];
}

/** Durations in seconds, summed over speakers (overlapped speech counts once per speaker). */
export interface DerComponents {
  /** (missed + falseAlarm + confusion) / total; see `errorRate` for total == 0. */
  der: number;
  /** Reference speech. */
  total: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  /** Reference speech attributed to the mapped hypothesis speaker. */
  correct: number;
}

export interface DerResult extends DerComponents {
  /** Reference speakers with speech inside the scored region. */
  numReferenceSpeakers: number;
  /** Hypothesis speakers with speech inside the scored region. */
  numHypothesisSpeakers: number;
  /** Hypothesis speaker → reference speaker, for pairs that share some speech. */
  mapping: Record<string, string>;
}

/**
 * Diarization error rate as pyannote.metrics' `DiarizationErrorRate(collar=0, skip_overlap=False)`
 * and NIST md-eval compute it: no collar, overlapped speech scored, optimal one-to-one speaker
 * mapping. Computed exactly on segment boundaries rather than on frames.
 *
 * One deliberate difference from pyannote.metrics: overlapping segments of one speaker within one
 * annotation are merged (as md-eval does) instead of counting twice.
 */
export function computeDer(
  reference: readonly Segment[],
  hypothesis: readonly Segment[],
  options: DerOptions = {},
): DerResult {
  const scoredRegion = scoredRegionOf(reference, hypothesis, options.uem);
  const referenceActivity = speakerActivity(reference, scoredRegion);
  const hypothesisActivity = speakerActivity(hypothesis, scoredRegion);
  const numReference = referenceActivity.speakers.length;
  const numHypothesis = hypothesisActivity.speakers.length;

  const intervals = elementaryIntervals(referenceActivity.ranges, hypothesisActivity.ranges);
  const cooccurrence = cooccurrenceMatrix(intervals, numReference, numHypothesis);
  const referenceOf = optimalHypothesisToReference(cooccurrence, numReference, numHypothesis);

  let total = 0;
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  let correct = 0;
  for (const interval of intervals) {
    const duration = interval.end - interval.start;
    const numRef = interval.reference.length;
    const numHyp = interval.hypothesis.length;
    const numCorrect = interval.hypothesis.filter((h) => interval.reference.includes(referenceOf[h])).length;
    total += duration * numRef;
    missed += duration * Math.max(0, numRef - numHyp);
    falseAlarm += duration * Math.max(0, numHyp - numRef);
    confusion += duration * (Math.min(numRef, numHyp) - numCorrect);
    correct += duration * numCorrect;
  }

  const mapping: Array<[string, string]> = [];
  referenceOf.forEach((r, h) => {
    if (r >= 0) mapping.push([hypothesisActivity.speakers[h], referenceActivity.speakers[r]]);
  });

  return {
    der: errorRate(total, missed + falseAlarm + confusion),
    total,
    missed,
    falseAlarm,
    confusion,
    correct,
    numReferenceSpeakers: numReference,
    numHypothesisSpeakers: numHypothesis,
    // fromEntries defines own properties, so a speaker called "__proto__" stays a plain key.
    mapping: Object.fromEntries(mapping),
  };
}

/**
 * Time-weighted DER over several files: summed errors over summed reference speech,
 * so long files weigh more than short ones (pyannote.metrics' `abs(metric)`).
 */
export function aggregateDer(results: readonly DerComponents[]): DerComponents {
  const sum = (pick: (result: DerComponents) => number) => results.reduce((acc, result) => acc + pick(result), 0);
  const total = sum((result) => result.total);
  const missed = sum((result) => result.missed);
  const falseAlarm = sum((result) => result.falseAlarm);
  const confusion = sum((result) => result.confusion);
  const correct = sum((result) => result.correct);
  return { der: errorRate(total, missed + falseAlarm + confusion), total, missed, falseAlarm, confusion, correct };
}

/**
 * error / total. With no reference speech at all, pyannote.metrics returns 0 when nothing was
 * hypothesised and 1 (not Infinity) otherwise, and so do we.
 */
export function errorRate(total: number, error: number): number {
  if (total === 0) return error === 0 ? 0 : 1;
  return error / total;
}

function scoredRegionOf(
  reference: readonly Segment[],
  hypothesis: readonly Segment[],
  uem: readonly TimeRange[] | undefined,
): TimeRange[] {
  if (uem !== undefined) return unionOfRanges(uem);
  const extent = extentOfRanges([...reference, ...hypothesis]);
  return extent === undefined ? [] : [extent];
}
