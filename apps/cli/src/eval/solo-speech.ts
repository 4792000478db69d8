import type { Segment, TimeRange } from '@diarization/evaluation';

/** Merged, sorted ranges. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

/** `ranges` minus `holes`. */
export function subtractRanges(ranges: readonly TimeRange[], holes: readonly TimeRange[]): TimeRange[] {
  const result: TimeRange[] = [];
  const cuts = mergeRanges(holes);
  for (const range of mergeRanges(ranges)) {
    let start = range.start;
    for (const hole of cuts) {
      if (hole.end <= start || hole.start >= range.end) continue;
      if (hole.start > start) result.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
    }
    if (start < range.end) result.push({ start, end: range.end });
  }
  return result;
}

/** Where `speaker` speaks alone inside [from, to), longest total first kept up to `maxSeconds`, in time order. */
export function soloSpeech(reference: readonly Segment[], speaker: string, window: TimeRange, maxSeconds: number): TimeRange[] {
  const own = reference.filter((s) => s.speaker === speaker);
  const others = reference.filter((s) => s.speaker !== speaker);
  const solo = subtractRanges(own, others)
    .map((r) => ({ start: Math.max(r.start, window.start), end: Math.min(r.end, window.end) }))
    .filter((r) => r.end > r.start);
  const kept: TimeRange[] = [];
  let total = 0;
  for (const r of solo) {
    if (total >= maxSeconds) break;
    const end = Math.min(r.end, r.start + (maxSeconds - total));
    kept.push({ start: r.start, end });
    total += end - r.start;
  }
  return kept;
}

/** The reference inside [window.start, window.end), shifted so the window starts at 0. */
export function shiftedReference(reference: readonly Segment[], window: TimeRange): Segment[] {
  return reference
    .map((s) => ({ speaker: s.speaker, start: Math.max(s.start, window.start) - window.start, end: Math.min(s.end, window.end) - window.start }))
    .filter((s) => s.end > s.start);
}
