import type { Segment, SpeakerSummary } from '../types';
import type { RawTurn } from '../pipeline/binarize';
import { roundMillis } from './decimal';

export function speakerLabel(index: number): string {
  return `SPEAKER_${String(index).padStart(2, '0')}`;
}

/**
 * Cluster indices present in the diarization, in increasing order, mapped to SPEAKER_00,
 * SPEAKER_01, ... (pyannote renames the sorted labels the same way).
 */
export function labelClusters(turns: readonly RawTurn[]): Map<number, string> {
  const clusters = [...new Set(turns.map((t) => t.cluster))].sort((a, b) => a - b);
  return new Map(clusters.map((cluster, index) => [cluster, speakerLabel(index)]));
}

/**
 * Named segments sorted by start, end, speaker; clipped to the audio (the last chunk is
 * zero-padded). `confidences[i]` is turn i's (see pipeline/confidence.ts).
 */
export function toSegments(turns: readonly RawTurn[], labels: Map<number, string>, duration: number, confidences: readonly number[]): Segment[] {
  return turns
    .map((t, i) => ({ speaker: labels.get(t.cluster)!, start: t.start, end: Math.min(t.end, duration), confidence: confidences[i] }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end || a.speaker.localeCompare(b.speaker))
    .map((s) => ({ speaker: s.speaker, start: roundMillis(s.start), end: roundMillis(s.end), confidence: s.confidence }));
}

/** Total speaking time per speaker, in label order, and its segments' confidence weighted by duration. */
export function summarizeSpeakers(segments: readonly Segment[]): SpeakerSummary[] {
  const totals = new Map<string, { seconds: number; weighted: number }>();
  for (const s of segments) {
    const total = totals.get(s.speaker) ?? { seconds: 0, weighted: 0 };
    total.seconds += s.end - s.start;
    total.weighted += (s.end - s.start) * s.confidence;
    totals.set(s.speaker, total);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([speaker, { seconds, weighted }]) => ({
      speaker,
      seconds: roundMillis(seconds),
      confidence: seconds > 0 ? Math.round((weighted / seconds) * 1000) / 1000 : 0,
    }));
}
