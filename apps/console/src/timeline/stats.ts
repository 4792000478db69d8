import type { Segment } from './model';

export interface SpeakerStats {
  speaker: string;
  /** Seconds this speaker talks (overlapping turns of one speaker counted once). */
  seconds: number;
  turns: number;
}

export interface Interval {
  start: number;
  end: number;
}

/** Merges overlapping or touching intervals; input in any order. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

export function speakerStats(segments: readonly Segment[], speakers: readonly string[]): SpeakerStats[] {
  return speakers.map((speaker) => {
    const own = segments.filter((s) => s.speaker === speaker);
    const seconds = union(own).reduce((sum, i) => sum + (i.end - i.start), 0);
    return { speaker, seconds, turns: own.length };
  });
}

/** Where two or more speakers talk at once. */
export function overlapRegions(segments: readonly Segment[]): Interval[] {
  const events: { time: number; delta: number }[] = [];
  for (const s of segments) {
    if (s.end <= s.start) continue;
    events.push({ time: s.start, delta: 1 }, { time: s.end, delta: -1 });
  }
  // ends before starts at the same instant: touching turns are not an overlap
  events.sort((a, b) => a.time - b.time || a.delta - b.delta);
  const regions: Interval[] = [];
  let active = 0;
  let openedAt = 0;
  for (const { time, delta } of events) {
    const before = active;
    active += delta;
    if (before < 2 && active >= 2) openedAt = time;
    if (before >= 2 && active < 2 && time > openedAt) regions.push({ start: openedAt, end: time });
  }
  return union(regions);
}
