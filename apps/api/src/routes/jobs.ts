import { InvalidCursorError, isTerminal, JOB_STATUSES, readTextResult, deleteJobObjects, toRttm } from '@diarization/jobs';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { badRequest, HttpError, notFound } from '../errors';
import { acceptedView, currentAcceptedView, jobPath, jobView } from '../job-view';
import { AUTHENTICATED, createRouter, errorResponses, json, streamedBody } from '../openapi/router';
import {
  acceptedJobSchema,
  idempotencyKeyParameter,
  jobIdParams,
  jobListSchema,
  jobResultSchema,
  jobViewSchema,
  uploadJobRequestDocSchema,
  urlJobRequestDocSchema,
} from '../openapi/schemas';
import type { ApiServices } from '../services';
import { submitJob } from '../submit';
import { transcriptDocument, TRANSCRIPT_RESULT_FORMATS } from '../transcript-result';

/** The formats GET /jobs/:id/result writes, with their content types. */
export const RESULT_FORMATS = ['json', 'rttm', ...TRANSCRIPT_RESULT_FORMATS] as const;

const resultQuery = z
  .object({
    format: z
      .enum(RESULT_FORMATS, { error: `format must be ${RESULT_FORMATS.join(' or ')}` })
      .default('json')
      .openapi({
        param: { name: 'format', in: 'query' },
        description: 'json: the full result; rttm: NIST RTTM lines; srt, vtt: the speaker-attributed transcript (jobs sent with a transcript).',
      }),
  })
  .strict();

const LIST_LIMIT = { min: 1, max: 100, default: 20 };

const listQuery = z
  .object({
    status: z
      .enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` })
      .optional()
      .openapi({ param: { name: 'status', in: 'query' }, description: 'Only jobs in this status.' }),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, { error: `must be a whole number from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(LIST_LIMIT.min, { error: `must be a whole number from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}` })
          .max(LIST_LIMIT.max, { error: `must be a whole number from ${LIST_LIMIT.min} to ${LIST_LIMIT.max}` }),
      )
      .optional()
      .openapi({
        param: { name: 'limit', in: 'query' },
        type: 'integer',
        minimum: LIST_LIMIT.min,
        maximum: LIST_LIMIT.max,
        default: LIST_LIMIT.default,
        description: 'Jobs per page.',
      }),
    cursor: z
      .string()
      .min(1, { error: 'must not be empty' })
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' }, description: '`next_cursor` of the previous page, unchanged.' }),
  })
  .strict();

const submitRoute = (router: OpenAPIHono<AppEnv>) =>
  createRoute({
    method: 'post',
    path: '/jobs',
    tags: ['Jobs'],
    summary: 'Submit audio for diarization',
    description: 'Upload the audio (multipart/form-data, part `file`) or give its URL (JSON `audio_url`). The job is queued; poll `links.self`.',
    parameters: [idempotencyKeyParameter],
    request: {
      body: streamedBody(
        router,
        {
          'multipart/form-data': { name: 'UploadJobRequest', schema: uploadJobRequestDocSchema },
          'application/json': { name: 'UrlJobRequest', schema: urlJobRequestDocSchema },
        },
        'The audio and the diarization options.',
      ),
    },
    responses: {
      202: {
        ...json(acceptedJobSchema, 'Queued (or, with a known Idempotency-Key, the job created first, as it is now).'),
        headers: {
          Location: { description: 'The job: GET it to follow its progress.', schema: { type: 'string' } },
          'Idempotent-Replayed': { description: '`true` when this answers an earlier request with the same Idempotency-Key.', schema: { type: 'string' } },
        },
      },
      ...errorResponses([400, ...AUTHENTICATED, 408, 409, 413, 415, 422], {
        409: 'A request with this Idempotency-Key is still being processed: retry after `Retry-After` seconds.',
        415: 'The body is neither multipart/form-data nor JSON, or the uploaded file is text.',
        422: 'The Idempotency-Key was used for a different request, or `audio_url` could not be downloaded.',
      }),
    },
  });

const listRoute = createRoute({
  method: 'get',
  path: '/jobs',
  tags: ['Jobs'],
  summary: "The caller's jobs, newest first",
  description: 'Only the jobs created with the same token. Page with `cursor` (the previous page\'s `next_cursor`).',
  request: { query: listQuery },
  responses: {
    200: json(jobListSchema, 'A page of jobs.'),
    ...errorResponses([400, ...AUTHENTICATED], { 400: 'An unknown query field, a bad `status` or `limit`, or a cursor this service did not issue.' }),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/jobs/{id}',
  tags: ['Jobs'],
  summary: 'A job: status, progress, result summary',
  request: { params: jobIdParams },
  responses: {
    200: json(jobViewSchema, 'The job.'),
    ...errorResponses([404, ...AUTHENTICATED]),
  },
});

const resultRoute = createRoute({
  method: 'get',
  path: '/jobs/{id}/result',
  tags: ['Jobs'],
  summary: "A succeeded job's result",
  request: { params: jobIdParams, query: resultQuery },
  responses: {
    200: {
      description: 'The result: JSON (`format=json`) or RTTM (`format=rttm`).',
      content: {
        'application/json': { schema: jobResultSchema },
        'text/plain': { schema: z.string().openapi({ description: 'RTTM: one SPEAKER line per segment.' }) },
        'application/x-subrip': { schema: z.string().openapi({ description: 'SRT (format=srt): the job\'s transcript, each cue as `SPEAKER_00: text`.' }) },
        'text/vtt': { schema: z.string().openapi({ description: 'WebVTT (format=vtt): the job\'s transcript, each cue as `<v SPEAKER_00>text`.' }) },
      },
    },
    ...errorResponses([400, 404, 409, ...AUTHENTICATED], {
      404: 'No such job, or its result is no longer stored (retention period over).',
      409: 'The job has no result (yet): its status is not succeeded.',
    }),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/jobs/{id}',
  tags: ['Jobs'],
  summary: 'Cancel a job, or delete a finished one',
  description: 'A queued or running job is canceled (200, the job stays visible, its audio is deleted). A finished job is deleted with its audio and result (204).',
  request: { params: jobIdParams },
  responses: {
    200: json(jobViewSchema, 'Canceled by this call: the job as it is now.'),
    204: { description: 'The finished job and everything stored for it are deleted.' },
    ...errorResponses([404, ...AUTHENTICATED]),
  },
});

/** GET /jobs?...: the page's own address and the next one's. */
function listLink(query: z.output<typeof listQuery>, cursor: string | undefined): string {
  const params = new URLSearchParams();
  if (query.status !== undefined) params.set('status', query.status);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (cursor !== undefined) params.set('cursor', cursor);
  const search = params.toString();
  return search === '' ? '/jobs' : `/jobs?${search}`;
}

export function jobRoutes(services: ApiServices): OpenAPIHono<AppEnv> {
  const router = createRouter();

  /** The caller's job, or 404 for unknown ids and other tokens' jobs alike. */
  const ownJob = async (id: string, owner: string) => {
    if (!z.uuid().safeParse(id).success) throw notFound();
    const record = await services.records.get(id);
    if (record === null || record.owner !== owner) throw notFound();
    return record;
  };

  router.openapi(submitRoute(router), async (c) => {
    const { id, replayed } = await submitJob(c, services, { legacy: false });
    c.header('Location', jobPath(id));
    if (!replayed) return c.json(acceptedView(id), 202);
    // a replay answers with the job as it is now, not as it was when first queued
    c.header('Idempotent-Replayed', 'true');
    return c.json(await currentAcceptedView(services.records, id), 202);
  });

  router.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await services.records
      .listOwned({ owner: c.get('owner'), status: query.status, limit: query.limit ?? LIST_LIMIT.default, cursor: query.cursor })
      .catch((error: unknown) => {
        // its message names the field already ("cursor: ...")
        throw error instanceof InvalidCursorError ? badRequest(error.message) : error;
      });
    const next = page.nextCursor ?? undefined;
    return c.json(
      {
        jobs: page.jobs.map(jobView),
        next_cursor: page.nextCursor,
        links: { self: listLink(query, query.cursor), ...(next === undefined ? {} : { next: listLink(query, next) }) },
      },
      200,
    );
  });

  router.openapi(getRoute, async (c) => c.json(jobView(await ownJob(c.req.valid('param').id, c.get('owner'))), 200));

  router.openapi(resultRoute, async (c) => {
    const { format } = c.req.valid('query');
    const record = await ownJob(c.req.valid('param').id, c.get('owner'));
    if (record.status !== 'succeeded' || record.resultKey === null) {
      throw new HttpError(409, `the job has no result: its status is ${record.status}`);
    }
    const result = await readTextResult(services.store, record.resultKey);
    if (result === null) throw notFound('the result is no longer stored (retention period over)');
    if (format === 'rttm') {
      const uri = record.filename?.replace(/\.[^.]*$/, '') ?? record.id;
      return c.text(toRttm(result, uri), 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    if (format === 'srt' || format === 'vtt') {
      const { body, contentType } = transcriptDocument(result, format);
      return c.text(body, 200, { 'content-type': contentType });
    }
    return c.json(result, 200);
  });

  router.openapi(deleteRoute, async (c) => {
    const record = await ownJob(c.req.valid('param').id, c.get('owner'));
    const id = record.id;
    const wasActive = !isTerminal(record.status);
    if (wasActive) {
      // One atomic step: a running attempt is told through its announcement, a queued job is
      // skipped when its turn comes, and its webhook goes out through the outbox.
      const canceled = await services.records.markCanceled(id);
      if (canceled.changed) services.logger.info('job canceled', { request_id: c.get('requestId'), job_id: id, was: canceled.previous });
    }
    await deleteJobObjects(services.store, id);
    const current = await services.records.get(id);
    if (wasActive && current?.status === 'canceled') {
      // canceled by this call: the record stays, so that the caller (and the webhook) see it
      return c.json(jobView(current), 200);
    }
    // a job that had ended (succeeded, failed or canceled before): nothing of it remains
    await services.records.remove(id);
    return c.body(null, 204);
  });

  return router;
}
