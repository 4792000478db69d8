import type { TimedText, Transcript } from './types';

/** One turn of the exclusive diarization (one speaker at a time). */
export interface SpeakerTurn {
  speaker: string;
  start: number;
  end: number;
}

export interface AttributedWord extends TimedText {
  speaker: string | null;
}

export interface AttributedSegment extends TimedText {
  speaker: string | null;
  words?: AttributedWord[];
}

export interface AttributedTranscript {
  segments: AttributedSegment[];
  /** Diarization speaker -> voiceprint label, for the speakers identification named. */
  speaker_names: Record<string, string>;
}

export interface AttributeOptions {
  /** A word or segment in silence takes the nearest turn's speaker when that turn is at most this far away. */
  silenceToleranceSeconds?: number;
  /** Names of identified speakers (diarization speaker -> voiceprint label), passed on to the formats. */
  speakerNames?: Record<string, string>;
}

export const DEFAULT_SILENCE_TOLERANCE_SECONDS = 0.5;

/** Turns sorted by start, with a binary search for the first one that ends after a time. */
class TurnIndex {
  private readonly turns: SpeakerTurn[];

  constructor(turns: readonly SpeakerTurn[]) {
    this.turns = turns.filter((turn) => turn.end > turn.start).sort((a, b) => a.start - b.start);
  }

  /** Index of the first turn whose end is after `time` (turns of an exclusive diarization end in start order). */
  private firstEndingAfter(time: number): number {
    let low = 0;
    let high = this.turns.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.turns[middle].end <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Rule 1: the speaker with the most time inside [start, end]; for an instant, the turn holding it. */
  byOverlap(start: number, end: number): string | null {
    const seconds = new Map<string, number>();
    for (let i = this.firstEndingAfter(start); i < this.turns.length && this.turns[i].start <= end; i++) {
      const turn = this.turns[i];
      const overlap = Math.min(end, turn.end) - Math.max(start, turn.start);
      if (end === start && turn.start <= start && start < turn.end) return turn.speaker;
      if (overlap > 0) seconds.set(turn.speaker, (seconds.get(turn.speaker) ?? 0) + overlap);
    }
    return largest(seconds);
  }

  /** Rule 2: the speaker of the turn nearest to [start, end] when it is at most `tolerance` away (ties: the earlier turn). */
  nearest(start: number, end: number, tolerance: number): string | null {
    const after = this.firstEndingAfter(start);
    const candidates = [this.turns[after - 1], this.turns[after]].filter((turn): turn is SpeakerTurn => turn !== undefined);
    let best: { speaker: string; distance: number } | null = null;
    for (const turn of candidates) {
      const distance = turn.end <= start ? start - turn.end : Math.max(0, turn.start - end);
      if (distance <= tolerance && (best === null || distance < best.distance)) best = { speaker: turn.speaker, distance };
    }
    return best?.speaker ?? null;
  }
}

/** The key with the largest value; the first one inserted on a tie. null for an empty map. */
function largest(values: Map<string, number>): string | null {
  let best: string | null = null;
  let bestValue = 0;
  for (const [key, value] of values) {
    if (value > bestValue) {
      best = key;
      bestValue = value;
    }
  }
  return best;
}

/**
 * Gives every word (or every segment, when the transcript has no word timings) a speaker from
 * the exclusive diarization:
 * 1. the speaker who speaks longest during it (maximal overlap);
 * 2. in silence, the speaker of the nearest turn if it is at most `silenceToleranceSeconds` away;
 * 3. a word still without one takes its segment's majority speaker (rule 4);
 * 4. otherwise null.
 * A segment with words takes the speaker of most of its words' time (its majority speaker);
 * without words, rules 1, 2 and 4.
 */
export function attributeTranscript(transcript: Transcript, turns: readonly SpeakerTurn[], options: AttributeOptions = {}): AttributedTranscript {
  const index = new TurnIndex(turns);
  const tolerance = options.silenceToleranceSeconds ?? DEFAULT_SILENCE_TOLERANCE_SECONDS;
  const speakerOf = (item: TimedText): string | null => index.byOverlap(item.start, item.end) ?? index.nearest(item.start, item.end, tolerance);

  const segments = transcript.segments.map((segment): AttributedSegment => {
    const base = { start: segment.start, end: segment.end, text: segment.text };
    if (segment.words === undefined || segment.words.length === 0) {
      return { ...base, speaker: speakerOf(segment), ...(segment.words ? { words: [] } : {}) };
    }
    const words: AttributedWord[] = segment.words.map((word) => ({ ...word, speaker: speakerOf(word) }));
    const majority = majoritySpeaker(words) ?? speakerOf(segment);
    for (const word of words) word.speaker ??= majority;
    return { ...base, speaker: majority, words };
  });
  return { segments, speaker_names: { ...(options.speakerNames ?? {}) } };
}

/** The speaker of most of the words' time (a word of no duration counts a millisecond); null when none has one. */
function majoritySpeaker(words: readonly AttributedWord[]): string | null {
  const seconds = new Map<string, number>();
  for (const word of words) {
    if (word.speaker !== null) seconds.set(word.speaker, (seconds.get(word.speaker) ?? 0) + Math.max(word.end - word.start, 0.001));
  }
  return largest(seconds);
}
