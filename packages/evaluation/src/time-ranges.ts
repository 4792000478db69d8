import type { TimeRange } from './segment';

/** Sorted, disjoint union of the ranges; empty ranges vanish and touching ranges join. */
export function unionOfRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((range) => range.end > range.start).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

/** Intersection of two sorted, disjoint range lists (as returned by `unionOfRanges`). */
export function intersectRanges(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const intersection: TimeRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) intersection.push({ start, end });
    // Drop whichever range finishes first; the other may still meet later ranges.
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return intersection;
}

/** Smallest single range covering every non-empty range, or undefined when there is none. */
export function extentOfRanges(ranges: readonly TimeRange[]): TimeRange | undefined {
  let extent: TimeRange | undefined;
  for (const range of ranges) {
    if (range.end <= range.start) continue;
    extent =
      extent === undefined
        ? { start: range.start, end: range.end }
        : { start: Math.min(extent.start, range.start), end: Math.max(extent.end, range.end) };
  }
  return extent;
}
