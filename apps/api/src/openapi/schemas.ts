import { z } from '@hono/zod-openapi';
import {
  diarizeOptionsSchema,
  JOB_STATUSES,
  jobErrorSchema,
  resultSummarySchema,
  storedResultSchema,
  urlJobRequestSchema,
  webhookStateSchema,
} from '@diarization/jobs';

/*
 * The schemas of the API document. Request schemas are the very ones that validate requests
 * (packages/jobs); only names and descriptions are added here, so the two cannot drift apart.
 */

/**
 * Names a schema of packages/jobs in the document. Those schemas may be created before
 * @hono/zod-openapi extends zod (zod copies `.openapi` onto schemas made after that only), so the
 * method is called from the prototype.
 */
function named<T extends z.ZodType>(schema: T, refId: string): T {
  return z.ZodType.prototype.openapi.call(schema, refId) as T;
}

export const errorSchema = z
  .object({ error: z.string().openapi({ description: 'What went wrong, in a sentence a person can act on.' }) })
  .openapi('Error');

export const jobStatusSchema = z.enum(JOB_STATUSES).openapi('JobStatus');

const jobIdSchema = z.string().openapi({ format: 'uuid', example: '3f1c2a9e-8d4b-4c1e-9f7a-2b6d5e8c0a11' });

/** A job's path parameter: any text; ids that are not jobs answer 404 like unknown ones. */
export const jobIdParams = z.object({
  id: jobIdSchema.openapi({ param: { name: 'id', in: 'path' }, description: 'The job id that POST /jobs answered.' }),
});

/** Documented only: submitJob (submit.ts) reads and checks it, with its own messages. */
export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    'Any text of 1 to 255 characters. The same key with the same request answers the job created first (with `Idempotent-Replayed: true`); with a different request, 422.',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

export const jobErrorViewSchema = named(jobErrorSchema, 'JobError');
export const resultSummaryViewSchema = named(resultSummarySchema, 'ResultSummary');
export const webhookViewSchema = named(webhookStateSchema, 'WebhookState');

/** A job as GET /jobs/:id shows it (apps/api/src/job-view.ts builds it). */
export const jobViewSchema = z
  .object({
    id: jobIdSchema,
    status: jobStatusSchema,
    progress: z.object({
      stage: z.string().openapi({ description: 'queued, decoding, segmentation, embeddings, clustering, waiting_to_retry, done...' }),
      percent: z.number(),
    }),
    created_at: z.string().openapi({ format: 'date-time' }),
    started_at: z.string().nullable().openapi({ format: 'date-time' }),
    finished_at: z.string().nullable().openapi({ format: 'date-time' }),
    attempts: z.number().int(),
    error: jobErrorViewSchema.optional().openapi({ description: 'Why the job failed or was canceled.' }),
    last_error: jobErrorViewSchema.optional().openapi({ description: 'Between attempts: why the last one failed.' }),
    result: resultSummaryViewSchema.optional().openapi({ description: 'Once succeeded: a summary; the full result is at links.result.' }),
    webhook: webhookViewSchema.optional(),
    links: z.object({ self: z.string(), result: z.string().optional(), rttm: z.string().optional() }),
  })
  .openapi('Job');
export type JobView = z.output<typeof jobViewSchema>;

/** The 202 answer to a submission. */
export const acceptedJobSchema = z
  .object({ id: jobIdSchema, status: jobStatusSchema, links: z.object({ self: z.string() }) })
  .openapi('AcceptedJob');
export type AcceptedJob = z.output<typeof acceptedJobSchema>;

export const jobListSchema = z
  .object({
    jobs: z.array(jobViewSchema).openapi({ description: 'Newest first.' }),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    links: z.object({ self: z.string(), next: z.string().optional().openapi({ description: 'The next page, when there is one.' }) }),
  })
  .openapi('JobList');
export type JobList = z.output<typeof jobListSchema>;

export const jobResultSchema = named(storedResultSchema, 'JobResult');

/** POST /diarize's answer, as the old Flask service gave it. */
export const legacyResultSchema = z
  .object({
    speakers: z.array(z.object({ speaker: z.string(), start: z.number(), end: z.number() })),
    duration: z.number(),
  })
  .openapi('LegacyDiarizeResult');

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    model_loaded: z.boolean(),
    redis: z.enum(['ok', 'unavailable']),
    storage: z.enum(['ok', 'unavailable']),
    workers: z.number().int().openapi({ description: 'Live workers (heartbeat seen).' }),
    model_error: z.string().optional().openapi({ description: 'Why the workers could not load the models.' }),
  })
  .openapi('Health');
export type Health = z.output<typeof healthSchema>;

/** POST /jobs with JSON: the audio's URL and the options (the same schema validates the request). */
export const urlJobRequestDocSchema = named(urlJobRequestSchema, 'UrlJobRequest');

/**
 * The multipart upload: the audio as the part `file`, the options as text fields. The options
 * part is the schema that validates them; the body itself is streamed by our parser (submit.ts).
 */
export const uploadJobRequestDocSchema = z
  .object({
    file: z.string().openapi({ format: 'binary', description: 'The audio (any format ffmpeg decodes).' }),
    transcript: z
      .string()
      .optional()
      .openapi({ description: 'Optional: a transcript (SRT, WebVTT or Whisper verbose_json) to label with the speakers, as a file part or a text field.' }),
    ...diarizeOptionsSchema.shape,
  })
  .strict()
  .openapi('UploadJobRequest');

/** The fields the old service took; POST /diarize ignores any other. */
const { num_speakers, min_speakers, max_speakers, exclusive, preset } = diarizeOptionsSchema.shape;
export const legacyUploadDocSchema = z
  .object({
    file: z.string().openapi({ format: 'binary', description: 'The audio (any format ffmpeg decodes).' }),
    num_speakers,
    min_speakers,
    max_speakers,
    exclusive,
    preset,
  })
  .openapi('LegacyDiarizeRequest', { description: 'Other fields are ignored, as the old service did.' });
