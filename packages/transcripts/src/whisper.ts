import { z } from 'zod';
import { TranscriptError, type Transcript, type TranscriptSegment, type TranscriptWord } from './types';
import { describeZodError } from '@diarization/common';

const seconds = z.number({ error: 'must be a number of seconds' }).finite().nonnegative({ error: 'must not be negative' });

const endAfterStart = { error: 'end is before start', path: ['end'] };
const timedOrder = (value: { start: number; end: number }): boolean => value.end >= value.start;

/** One word: the OpenAI API's `words[]` and whisper / whisperX's `segments[].words[]` alike. */
const wordSchema = z.object({ start: seconds, end: seconds, word: z.string({ error: 'must be a string' }) }).refine(timedOrder, endAfterStart);

const segmentSchema = z
  .object({ start: seconds, end: seconds, text: z.string({ error: 'must be a string' }), words: z.array(wordSchema).optional() })
  .refine(timedOrder, endAfterStart);

/**
 * Whisper's `verbose_json` (OpenAI API, openai-whisper's --output_format json, whisperX): unknown
 * keys (id, seek, tokens, language...) are allowed and ignored.
 */
export const whisperVerboseJsonSchema = z
  .object({
    segments: z.array(segmentSchema).optional(),
    words: z.array(wordSchema).optional(),
  })
  .refine((value) => value.segments !== undefined || value.words !== undefined, {
    error: 'has neither "segments" nor "words": expected Whisper verbose_json (response_format=verbose_json)',
  });
export type WhisperVerboseJson = z.output<typeof whisperVerboseJsonSchema>;

/** Words-only transcripts are cut into segments at pauses this long, and after sentence ends. */
const SEGMENT_PAUSE_SECONDS = 1;

const toWord = (word: z.output<typeof wordSchema>): TranscriptWord => ({ start: word.start, end: word.end, text: word.word.trim() });

export function parseWhisperJson(text: string): Transcript {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(`the transcript is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = whisperVerboseJsonSchema.safeParse(json);
  if (!parsed.success) throw new TranscriptError(`not a Whisper verbose_json transcript: ${describeZodError(parsed.error, { limit: 3 })}`);
  return fromWhisper(parsed.data);
}

export function fromWhisper(json: WhisperVerboseJson): Transcript {
  const topWords = json.words?.map(toWord).filter((word) => word.text !== '');
  if (json.segments === undefined) return { segments: segmentsFromWords(topWords ?? []) };

  const segments: TranscriptSegment[] = json.segments.map((segment) => {
    const words = segment.words?.map(toWord).filter((word) => word.text !== '');
    return { start: segment.start, end: segment.end, text: segment.text.trim(), ...(words ? { words } : {}) };
  });
  // The OpenAI API lists words apart from segments (timestamp_granularities both): each goes to
  // the segment that holds its midpoint, or the nearest one.
  if (topWords !== undefined && segments.length > 0 && segments.every((segment) => segment.words === undefined)) {
    for (const segment of segments) segment.words = [];
    for (const word of topWords) nearestSegment(segments, (word.start + word.end) / 2).words!.push(word);
  }
  return { segments };
}

function nearestSegment(segments: TranscriptSegment[], time: number): TranscriptSegment {
  let best = segments[0];
  let bestDistance = Infinity;
  for (const segment of segments) {
    const distance = time < segment.start ? segment.start - time : time > segment.end ? time - segment.end : 0;
    if (distance < bestDistance) {
      best = segment;
      bestDistance = distance;
    }
  }
  return best;
}

/** Segments for a transcript that has words only: cut at long pauses and after . ? ! */
function segmentsFromWords(words: TranscriptWord[]): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let current: TranscriptWord[] = [];
  const close = (): void => {
    if (current.length === 0) return;
    segments.push({ start: current[0].start, end: current[current.length - 1].end, text: current.map((word) => word.text).join(' '), words: current });
    current = [];
  };
  for (const word of words) {
    const previous = current[current.length - 1];
    if (previous !== undefined && word.start - previous.end >= SEGMENT_PAUSE_SECONDS) close();
    current.push(word);
    if (/[.?!]["')\]]*$/.test(word.text)) close();
  }
  close();
  return segments;
}
