/** One speaker turn, in seconds. */
export interface Segment {
  speaker: string;
  start: number;
  end: number;
}

/**
 * What the timeline draws: the API's result (GET /jobs/:id/result) and the CLI's JSON output
 * both have these fields; anything else they carry is kept and passed through to the JSON download.
 */
export interface DiarizationDocument {
  duration: number;
  segments: Segment[];
  [extra: string]: unknown;
}

/** Client-side names for the speaker labels (SPEAKER_00 → "Alice"); labels without one keep their own. */
export type SpeakerNames = Readonly<Record<string, string>>;

export function displayName(names: SpeakerNames, speaker: string): string {
  const name = names[speaker]?.trim();
  return name ? name : speaker;
}

function isSegment(value: unknown): value is Segment {
  if (typeof value !== 'object' || value === null) return false;
  const { speaker, start, end } = value as Record<string, unknown>;
  return typeof speaker === 'string' && Number.isFinite(start) && Number.isFinite(end) && (end as number) >= (start as number);
}

/** Checks a parsed result; throws with what is wrong rather than drawing nonsense. */
export function readDocument(value: unknown): DiarizationDocument {
  if (typeof value !== 'object' || value === null) throw new Error('the result is not a JSON object');
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.segments) || !record.segments.every(isSegment)) throw new Error('the result has no valid "segments" list');
  const segments = [...record.segments].sort((a, b) => a.start - b.start || a.end - b.end);
  const lastEnd = segments.reduce((max, s) => Math.max(max, s.end), 0);
  const duration = Number.isFinite(record.duration) && (record.duration as number) > 0 ? Math.max(record.duration as number, lastEnd) : lastEnd;
  return { ...record, duration, segments };
}

/** The speakers by label (SPEAKER_00 first): the order the lanes are drawn in. */
export function speakersOf(document: DiarizationDocument): string[] {
  const seen = new Set<string>();
  for (const segment of document.segments) seen.add(segment.speaker);
  return [...seen].sort();
}
