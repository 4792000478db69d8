import type { TimeRange } from './segment';

/** A stretch of time during which the same speakers are active on both sides. */
export interface ElementaryInterval extends TimeRange {
  /** Indices of the active reference speakers. */
  reference: number[];
  /** Indices of the active hypothesis speakers. */
  hypothesis: number[];
}

interface Boundary {
  time: number;
  side: 'reference' | 'hypothesis';
  speaker: number;
  /** +1 when the speaker starts talking, -1 when they stop. */
  change: 1 | -1;
}

/**
 * Cuts time at every boundary of every speaker range on either side and reports, for each piece
 * where someone speaks, who is active. `reference[k]` / `hypothesis[k]` are speaker k's ranges.
 * This is exact: no frames, only the boundaries that are actually there.
 */
export function elementaryIntervals(
  reference: readonly (readonly TimeRange[])[],
  hypothesis: readonly (readonly TimeRange[])[],
): ElementaryInterval[] {
  const boundaries: Boundary[] = [
    ...rangeBoundaries(reference, 'reference'),
    ...rangeBoundaries(hypothesis, 'hypothesis'),
  ].sort((a, b) => a.time - b.time);

  // Counts rather than flags, so touching ranges of one speaker need no special care.
  const activeCount = {
    reference: new Int32Array(reference.length),
    hypothesis: new Int32Array(hypothesis.length),
  };
  const intervals: ElementaryInterval[] = [];
  let index = 0;
  while (index < boundaries.length) {
    const time = boundaries[index].time;
    // Apply every change at this instant before looking at the interval that follows it.
    while (index < boundaries.length && boundaries[index].time === time) {
      const { side, speaker, change } = boundaries[index];
      activeCount[side][speaker] += change;
      index++;
    }
    if (index === boundaries.length) break;

    const active = {
      reference: activeSpeakers(activeCount.reference),
      hypothesis: activeSpeakers(activeCount.hypothesis),
    };
    if (active.reference.length > 0 || active.hypothesis.length > 0) {
      intervals.push({ start: time, end: boundaries[index].time, ...active });
    }
  }
  return intervals;
}

function rangeBoundaries(speakers: readonly (readonly TimeRange[])[], side: Boundary['side']): Boundary[] {
  const boundaries: Boundary[] = [];
  speakers.forEach((ranges, speaker) => {
    for (const range of ranges) {
      if (range.end <= range.start) continue;
      boundaries.push({ time: range.start, side, speaker, change: 1 });
      boundaries.push({ time: range.end, side, speaker, change: -1 });
    }
  });
  return boundaries;
}

function activeSpeakers(counts: Int32Array): number[] {
  const active: number[] = [];
  for (let speaker = 0; speaker < counts.length; speaker++) {
    if (counts[speaker] > 0) active.push(speaker);
  }
  return active;
}
