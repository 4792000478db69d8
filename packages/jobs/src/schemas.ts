import { z } from 'zod';
import { API_SPEAKER_FIELDS, MAX_SPEAKERS, PRESETS, refineSpeakerBounds, speakerCountSchema, type Preset } from '@diarization/engine/io';
import { TRANSCRIPT_FORMATS } from '@diarization/transcripts';

export const JOB_STATUSES = ['queued', 'processing', 'succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The engine's limit, the same for the API, the engine and the CLI. */
export { MAX_SPEAKERS };

/**
 * Multipart fields arrive as strings; JSON may send numbers. Both become numbers here, then
 * the engine's own speaker-count rules apply.
 */
const speakerCount = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  speakerCountSchema,
);

const flag = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    // PHP (Laravel's HTTP client) sends false as an empty field
    if (['false', '0', 'no', 'off', ''].includes(text)) return false;
    return value;
  },
  z.boolean({ error: 'must be true or false' }),
);

const httpUrl = (label: string) =>
  z
    .string({ error: `must be an http:// or https:// URL` })
    .trim()
    .max(2048, { error: 'must be at most 2048 characters' })
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
      error: `${label} must be an http:// or https:// URL`,
    });

/** The engine's speed presets ("default": pyannote's settings; "fast": about 3x faster). */
const preset = z.enum(Object.keys(PRESETS) as [Preset, ...Preset[]], { error: `must be one of ${Object.keys(PRESETS).join(', ')}` });

/** Voiceprint ids are UUIDs (see voiceprints.ts). */
export const voiceprintIdSchema = z.string().trim().uuid({ error: 'is not a voiceprint id (identify takes true, false or ids from GET /voiceprints)' });
/** Most voiceprints one job may name in `identify`. */
export const MAX_IDENTIFY_VOICEPRINTS = 100;

/**
 * `identify`: true (all of the token's voiceprints), false, or voiceprint ids. Multipart sends
 * text: "true", one comma-separated list, or the field repeated (the API collects repeats into
 * an array); JSON sends true or an array of ids.
 */
export const identifySchema = z.preprocess(
  (value) => {
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return value;
    if (items.length === 1) {
      const text = items[0].trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off', ''].includes(text)) return false;
    }
    return items.flatMap((item) => item.split(',')).map((id) => id.trim()).filter((id) => id !== '');
  },
  z.union(
    [
      z.boolean(),
      z
        .array(voiceprintIdSchema)
        .min(1)
        .max(MAX_IDENTIFY_VOICEPRINTS, { error: `names more than ${MAX_IDENTIFY_VOICEPRINTS} voiceprints` }),
    ],
    { error: 'must be true, false or a list of voiceprint ids' },
  ),
);

/** How a transcript sent with a job is read; detected from its file name and content when absent. */
export const transcriptFormatSchema = z.enum(TRANSCRIPT_FORMATS, { error: `must be one of ${TRANSCRIPT_FORMATS.join(', ')}` });

const optionFields = {
  num_speakers: speakerCount.optional(),
  min_speakers: speakerCount.optional(),
  max_speakers: speakerCount.optional(),
  exclusive: flag.optional(),
  preset: preset.optional(),
  webhook_url: httpUrl('webhook_url').optional(),
  /** Add `speaker_embeddings` (one centroid per speaker, with its model) to the result. */
  return_embeddings: flag.optional(),
  identify: identifySchema.optional(),
  transcript_format: transcriptFormatSchema.optional(),
};

/**
 * min_speakers <= max_speakers, and num_speakers inside them when given together: the engine's
 * rule (packages/engine/src/speaker-bounds-schema.ts), in the API's field names.
 */
const checkSpeakerCounts = refineSpeakerBounds(API_SPEAKER_FIELDS);

/** Diarization options as clients send them (snake_case, as in the old service). */
export const diarizeOptionsSchema = z.object(optionFields).strict().superRefine(checkSpeakerCounts);
export type DiarizeOptionsInput = z.output<typeof diarizeOptionsSchema>;

/**
 * The options of the old blocking `POST /diarize`: the speaker counts, `exclusive` and `preset`;
 * other fields are ignored, as the old service ignored what it did not know.
 */
export const legacyDiarizeOptionsSchema = z
  .object({
    num_speakers: optionFields.num_speakers,
    min_speakers: optionFields.min_speakers,
    max_speakers: optionFields.max_speakers,
    exclusive: optionFields.exclusive,
    preset: optionFields.preset,
  })
  .strip()
  .superRefine(checkSpeakerCounts);

/**
 * A JSON job request: the options plus the audio's URL, and optionally a transcript: the text of
 * an SRT, WebVTT or Whisper verbose_json file, or the verbose_json object itself.
 */
export const urlJobRequestSchema = z
  .object({
    audio_url: httpUrl('audio_url'),
    transcript: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a string (SRT, WebVTT or JSON text) or a Whisper verbose_json object' }).optional(),
    ...optionFields,
  })
  .strict()
  .superRefine(checkSpeakerCounts);
export type UrlJobRequest = z.output<typeof urlJobRequestSchema>;

/** Engine options as the worker passes them on (the counts under the engine's own rules). */
export const engineOptionsSchema = z.object({
  numSpeakers: speakerCountSchema.optional(),
  minSpeakers: speakerCountSchema.optional(),
  maxSpeakers: speakerCountSchema.optional(),
  exclusive: z.boolean(),
  preset: preset.optional(),
  /** Job settings beyond the engine's, kept with its options in the record. */
  returnEmbeddings: z.boolean().optional(),
  /** true: all of the owner's voiceprints; else these ids (resolved when the job runs). */
  identify: z.union([z.literal(true), z.array(z.string())]).optional(),
  /** Storage key of the parsed transcript (transcripts' Transcript as JSON). */
  transcriptKey: z.string().optional(),
});
export type EngineOptions = z.output<typeof engineOptionsSchema>;

export function toEngineOptions(input: DiarizeOptionsInput): EngineOptions {
  return {
    numSpeakers: input.num_speakers,
    minSpeakers: input.min_speakers,
    maxSpeakers: input.max_speakers,
    exclusive: input.exclusive ?? false,
    ...(input.preset ? { preset: input.preset } : {}),
    ...(input.return_embeddings ? { returnEmbeddings: true } : {}),
    ...(input.identify === true || Array.isArray(input.identify) ? { identify: input.identify } : {}),
  };
}

/**
 * What a diarize job carries through BullMQ: where its audio is. Its options live in its record
 * only (one copy, read by the attempt when it starts).
 */
export const diarizeJobDataSchema = z.object({
  jobId: z.string().min(1),
  audioKey: z.string().min(1),
  /** File name extension of the original upload (".m4a"), kept for the temp copy. */
  extension: z.string().max(16),
  /** Epoch ms when attempts of this job first found storage unreachable (the job waits meanwhile). */
  storageUnavailableSince: z.number().optional(),
});
export type DiarizeJobData = z.output<typeof diarizeJobDataSchema>;

export const webhookJobDataSchema = z.object({ jobId: z.string().min(1) });
export type WebhookJobData = z.output<typeof webhookJobDataSchema>;

/** Why a job failed, for the client. */
export const jobErrorSchema = z.object({ code: z.string(), message: z.string() });
export type JobError = z.output<typeof jobErrorSchema>;

export const resultSummarySchema = z.object({
  duration: z.number(),
  num_speakers: z.number().int(),
  num_segments: z.number().int(),
  exclusive: z.boolean(),
  speakers: z.array(z.object({ speaker: z.string(), seconds: z.number(), confidence: z.number().optional() })),
});
export type ResultSummary = z.output<typeof resultSummarySchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const webhookStateSchema = z.object({
  url: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  delivered_at: z.string().nullable(),
});
export type WebhookState = z.output<typeof webhookStateSchema>;
