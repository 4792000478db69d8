import type { Segment, TimeRange } from './segment';
import { intersectRanges, unionOfRanges } from './time-ranges';

/** When each speaker of one annotation talks inside the scored region. */
export interface SpeakerActivity {
  /** Speakers with some speech inside the scored region, in order of first appearance. */
  speakers: string[];
  /** `ranges[k]`: sorted, disjoint speech of `speakers[k]` inside the scored region. */
  ranges: TimeRange[][];
}

/**
 * Groups segments by speaker, merges each speaker's segments (so a speaker's overlapping turns
 * count once, as in NIST md-eval) and keeps only the part inside `scoredRegion`.
 * `scoredRegion` must be sorted and disjoint (see `unionOfRanges`).
 */
export function speakerActivity(segments: readonly Segment[], scoredRegion: readonly TimeRange[]): SpeakerActivity {
  const segmentsBySpeaker = new Map<string, Segment[]>();
  for (const segment of segments) {
    const own = segmentsBySpeaker.get(segment.speaker) ?? [];
    own.push(segment);
    segmentsBySpeaker.set(segment.speaker, own);
  }

  const activity: SpeakerActivity = { speakers: [], ranges: [] };
  for (const [speaker, own] of segmentsBySpeaker) {
    const scored = intersectRanges(unionOfRanges(own), scoredRegion);
    if (scored.length === 0) continue;
    activity.speakers.push(speaker);
    activity.ranges.push(scored);
  }
  return activity;
}
