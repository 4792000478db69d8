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

/** Named segments sorted by start, end, speaker; clipped to the audio (the last chunk is zero-padded). */
export function toSegments(turns: readonly RawTurn[], labels: Map<number, string>, duration: number): Segment[] {
  return turns
    .map((t) => ({ speaker: labels.get(t.cluster)!, start: t.start, end: Math.min(t.end, duration) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end || a.speaker.localeCompare(b.speaker))
    .map((s) => ({ speaker: s.speaker, start: roundMillis(s.start), end: roundMillis(s.end) }));
}

/** Total speaking time per speaker, in label order. */
export function summarizeSpeakers(segments: readonly Segment[]): SpeakerSummary[] {
  const totals = new Map<string, number>();
  for (const s of segments) totals.set(s.speaker, (totals.get(s.speaker) ?? 0) + (s.end - s.start));
  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([speaker, seconds]) => ({ speaker, seconds: roundMillis(seconds) }));
}
