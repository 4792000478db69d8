/**
 * The one definition of the speaker-count options (num, min and max speakers) and of how they
 * may be combined. The engine (camelCase options), the job API (snake_case fields) and the CLI
 * (flags) all check them here, so a request one accepts the others accept too. This module
 * needs only zod: it is exported from `@diarization/engine/io`, which loads no onnxruntime.
 */
import { z } from 'zod';

/**
 * The largest speaker count anyone may ask for. 50 is far above what these models separate:
 * segmentation-3.0 sees at most 3 speakers per 10 s window, and a 2 s embedding of an unseen
 * voice is close to the nearest of a few dozen others, so beyond that the requested clusters
 * split voices rather than find people. It is also the bound the job API has documented from
 * the start (`num_speakers` 1-50), which clients rely on; the engine's old 1000 was only a
 * guard and is now the same 50.
 */
export const MAX_SPEAKERS = 50;

/** What is wrong with a single count. */
export const SPEAKER_COUNT_MESSAGE = `must be a whole number between 1 and ${MAX_SPEAKERS}`;

/** One speaker count: a whole number in 1..MAX_SPEAKERS. */
export const speakerCountSchema = z
  .number({ error: SPEAKER_COUNT_MESSAGE })
  .int({ error: SPEAKER_COUNT_MESSAGE })
  .min(1, { error: SPEAKER_COUNT_MESSAGE })
  .max(MAX_SPEAKERS, { error: SPEAKER_COUNT_MESSAGE });

/** How a caller names the three counts: `numSpeakers`, `num_speakers`, `--num-speakers`. */
export interface SpeakerFieldNames<K extends string = string> {
  num: K;
  min: K;
  max: K;
}

export const ENGINE_SPEAKER_FIELDS = { num: 'numSpeakers', min: 'minSpeakers', max: 'maxSpeakers' } as const;
export const API_SPEAKER_FIELDS = { num: 'num_speakers', min: 'min_speakers', max: 'max_speakers' } as const;
export const CLI_SPEAKER_FLAGS = { num: '--num-speakers', min: '--min-speakers', max: '--max-speakers' } as const;

export interface SpeakerCounts {
  num?: number;
  min?: number;
  max?: number;
}

export interface SpeakerBoundsIssue {
  /** The caller's name of the offending field. */
  field: string;
  /** "must ...", to follow the field's name. */
  message: string;
}

/**
 * How the counts may be combined: min <= max, and a num given together with min or max must
 * lie inside them (pyannote lets num silently override both; a contradiction is more likely a
 * mistake than a wish).
 */
export function speakerBoundsConflicts(counts: SpeakerCounts, names: SpeakerFieldNames): SpeakerBoundsIssue[] {
  const issues: SpeakerBoundsIssue[] = [];
  const { num, min, max } = counts;
  if (min !== undefined && max !== undefined && min > max) {
    issues.push({ field: names.min, message: `must not be greater than ${names.max}` });
  }
  if (num !== undefined && min !== undefined && num < min) {
    issues.push({ field: names.num, message: `must not be less than ${names.min}` });
  }
  if (num !== undefined && max !== undefined && num > max) {
    issues.push({ field: names.num, message: `must not be greater than ${names.max}` });
  }
  return issues;
}

/**
 * Every problem with the counts, each count on its own (whole, 1..MAX_SPEAKERS) and then
 * together: for callers that parse their own input (the CLI), with the same wording as the
 * zod schemas.
 */
export function speakerBoundsIssues(counts: SpeakerCounts, names: SpeakerFieldNames): SpeakerBoundsIssue[] {
  const single = (['num', 'min', 'max'] as const)
    .filter((key) => counts[key] !== undefined && !speakerCountSchema.safeParse(counts[key]).success)
    .map((key) => ({ field: names[key], message: SPEAKER_COUNT_MESSAGE }));
  return single.length > 0 ? single : speakerBoundsConflicts(counts, names);
}

/**
 * A zod superRefine for an object schema that holds the three counts under `names`
 * (each field typically `speakerCountSchema.optional()`): reports the conflicts between them
 * as issues on the offending field.
 */
export function refineSpeakerBounds<K extends string>(names: SpeakerFieldNames<K>) {
  return (value: Partial<Record<K, unknown>>, context: z.RefinementCtx): void => {
    const count = (key: K) => (typeof value[key] === 'number' ? (value[key] as number) : undefined);
    const counts = { num: count(names.num), min: count(names.min), max: count(names.max) };
    for (const issue of speakerBoundsConflicts(counts, names)) {
      context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
    }
  };
}
