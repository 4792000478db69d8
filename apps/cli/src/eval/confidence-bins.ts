import { computeDer, type Segment, type TimeRange } from '@diarization/evaluation';

/** A hypothesis segment with the engine's confidence (0..1). */
export interface ScoredSegment extends Segment {
  confidence: number;
}

/** Lower edges of the confidence bins of `npm run eval -- --confidence` (the last one includes 1). */
export const CONFIDENCE_BIN_EDGES = [0, 0.5, 0.8, 0.9] as const;

/** Seconds of hypothesised speech in one confidence bin, and what part of them is wrong. */
export interface ConfidenceBin {
  low: number;
  high: number;
  segments: number;
  /** Hypothesised speaker-seconds inside the scored region. */
  seconds: number;
  /** No reference speech there at all. */
  falseAlarm: number;
  /** Reference speech, but not of the reference speaker this hypothesis speaker maps to. */
  confusion: number;
}

export function emptyBins(edges: readonly number[] = CONFIDENCE_BIN_EDGES): ConfidenceBin[] {
  return edges.map((low, i) => ({ low, high: edges[i + 1] ?? 1, segments: 0, seconds: 0, falseAlarm: 0, confusion: 0 }));
}

/** The bin of a confidence value (bins are [low, high), the last [low, 1]). */
export function binIndex(bins: readonly ConfidenceBin[], confidence: number): number {
  for (let i = bins.length - 1; i >= 0; i--) if (confidence >= bins[i].low) return i;
  return 0;
}

/**
 * Adds one file's segments to `bins`: each hypothesis speaker is mapped to a reference speaker
 * once for the whole file (computeDer's optimal mapping), then each segment's time is split into
 * correct, confusion (someone else speaks) and false alarm (nobody speaks), within `uem`.
 * Missed speech has no hypothesis segment, hence no confidence: it is not binned.
 */
export function addToBins(
  bins: ConfidenceBin[],
  reference: readonly Segment[],
  hypothesis: readonly ScoredSegment[],
  uem?: readonly TimeRange[],
): void {
  const { mapping } = computeDer(reference, hypothesis, { uem });
  const anySpeech = reference.map((s) => ({ ...s, speaker: 'speech' }));
  for (const segment of hypothesis) {
    const span = clip({ start: segment.start, end: segment.end }, uem);
    const seconds = span.reduce((sum, r) => sum + r.end - r.start, 0);
    if (seconds <= 0) continue;
    const mapped = mapping[segment.speaker];
    // computeDer with the segment's span as the scored region: `correct` is the time both sides speak
    const overlap = (ref: readonly Segment[], speaker: string) =>
      computeDer(ref, [{ speaker, start: segment.start, end: segment.end }], { uem: span }).correct;
    const speech = overlap(anySpeech, 'speech');
    const correct = mapped === undefined ? 0 : overlap(reference.filter((s) => s.speaker === mapped), mapped);
    const bin = bins[binIndex(bins, segment.confidence)];
    bin.segments += 1;
    bin.seconds += seconds;
    bin.falseAlarm += seconds - speech;
    bin.confusion += speech - correct;
  }
}

/** The parts of `range` inside `uem` (all of it without one). */
function clip(range: TimeRange, uem?: readonly TimeRange[]): TimeRange[] {
  if (!uem) return [range];
  return uem
    .map((u) => ({ start: Math.max(u.start, range.start), end: Math.min(u.end, range.end) }))
    .filter((r) => r.end > r.start);
}

/** Wrong share of a bin's hypothesised seconds (0 for an empty bin). */
export function errorShare(bin: ConfidenceBin): number {
  return bin.seconds > 0 ? (bin.falseAlarm + bin.confusion) / bin.seconds : 0;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}`.padStart(7);

/** The table `npm run eval -- --confidence` prints. */
export function formatConfidenceBins(bins: readonly ConfidenceBin[]): string {
  const header = `${'confidence'.padEnd(14)}${'segs'.padStart(6)}${'spk-s'.padStart(9)}${'share%'.padStart(8)}${'FA%'.padStart(7)}${'conf%'.padStart(7)}${'error%'.padStart(8)}`;
  const total = bins.reduce((sum, b) => sum + b.seconds, 0);
  const lines = bins.map((b) => {
    const range = `${b.low.toFixed(2)}-${b.high.toFixed(2)}`;
    const of = (v: number) => (b.seconds > 0 ? v / b.seconds : 0);
    return `${range.padEnd(14)}${String(b.segments).padStart(6)}${b.seconds.toFixed(1).padStart(9)}${pct(total > 0 ? b.seconds / total : 0).padStart(8)}${pct(of(b.falseAlarm))}${pct(of(b.confusion))}${pct(errorShare(b)).padStart(8)}`;
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n') + '\n';
}
