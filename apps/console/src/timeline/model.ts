/** One speaker turn, in seconds. */
export interface Segment {
  speaker: string;
  start: number;
  end: number;
  /** 0..1, how sure the pipeline is of this turn (results carry it; older ones may not). */
  confidence?: number;
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

/**
 * The names a result's identification gives (`identify` jobs: the matched voiceprint's label);
 * they are the defaults that the user's own names override.
 */
export function identifiedNames(document: DiarizationDocument): SpeakerNames {
  const names: Record<string, string> = {};
  if (!Array.isArray(document.identification)) return names;
  for (const entry of document.identification as unknown[]) {
    const { speaker, voiceprint } = (entry ?? {}) as { speaker?: unknown; voiceprint?: { label?: unknown } | null };
    if (typeof speaker === 'string' && typeof voiceprint?.label === 'string' && voiceprint.label.trim() !== '') names[speaker] = voiceprint.label;
  }
  return names;
}

/** The user's names over the defaults; a name cleared by the user falls back to the default. */
export function withDefaultNames(defaults: SpeakerNames, names: SpeakerNames): SpeakerNames {
  const merged: Record<string, string> = { ...defaults };
  for (const [speaker, name] of Object.entries(names)) if (name.trim() !== '') merged[speaker] = name;
  return merged;
}

/**
 * Below this the pipeline is unsure of a turn: on ../shared/eval about one second in three of
 * such turns is wrong (README, "Speaker embeddings and confidence"); the timeline marks them.
 */
export const UNSURE_CONFIDENCE = 0.5;

export function isUnsure(segment: Segment): boolean {
  return segment.confidence !== undefined && segment.confidence < UNSURE_CONFIDENCE;
}

/** " · confidence 0.83" for a segment's tooltip; empty when the result has none. */
export function confidenceNote(segment: Segment): string {
  if (segment.confidence === undefined) return '';
  return ` · confidence ${segment.confidence.toFixed(2)}${isUnsure(segment) ? ' (unsure)' : ''}`;
}

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
  const segments = (record.segments as Segment[])
    // a confidence that is not a number is dropped, not drawn
    .map(({ confidence, ...segment }) => (Number.isFinite(confidence) ? { ...segment, confidence } : segment))
    .sort((a, b) => a.start - b.start || a.end - b.end);
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
