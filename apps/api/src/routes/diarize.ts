import { httpStatusForJobError, readTextResult, toLegacyResponse } from '@diarization/jobs';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { HttpError } from '../errors';
import { currentAcceptedView, jobPath } from '../job-view';
import { AUTHENTICATED, createRouter, errorResponses, json, streamedBody } from '../openapi/router';
import { acceptedJobSchema, idempotencyKeyParameter, legacyResultSchema, legacyUploadDocSchema } from '../openapi/schemas';
import type { ApiServices } from '../services';
import { submitJob } from '../submit';

const diarizeRoute = (router: OpenAPIHono<AppEnv>) =>
  createRoute({
    method: 'post',
    path: '/diarize',
    tags: ['Legacy'],
    summary: 'Diarize and wait for the result (the old service\'s call)',
    description:
      'Queued like any job; answers `{"speakers", "duration"}` when the job finishes within SYNC_TIMEOUT_SECONDS, otherwise 202 with the job to poll.',
    parameters: [idempotencyKeyParameter],
    request: {
      body: streamedBody(router, { 'multipart/form-data': { name: 'LegacyDiarizeRequest', schema: legacyUploadDocSchema } }, 'The audio and the options.'),
    },
    responses: {
      200: json(legacyResultSchema, 'The diarization.'),
      202: {
        ...json(acceptedJobSchema, 'Not finished within SYNC_TIMEOUT_SECONDS: poll the job.'),
        headers: { Location: { description: 'The job to poll.', schema: { type: 'string' } } },
      },
      ...errorResponses([400, ...AUTHENTICATED, 408, 409, 413, 415, 422], {
        409: 'A request with the same Idempotency-Key is still being processed, or the job was canceled.',
        415: 'The body is not multipart/form-data, or the uploaded file is text.',
        422: 'The audio could not be diarized (not decodable, too long...): see the message.',
      }),
    },
  });

/**
 * POST /diarize, the old service's blocking call: queued like any job, answered with
 * {"speakers", "duration"} when it finishes in time, otherwise 202 with the job to poll.
 */
export function diarizeRoutes(services: ApiServices): OpenAPIHono<AppEnv> {
  const router = createRouter();
  return router.openapi(diarizeRoute(router), async (c) => {
    const { id } = await submitJob(c, services, { legacy: true });
    const record = await services.finished.waitForTerminal(id, services.config.syncTimeoutMs, c.req.raw.signal);
    if (record === null) {
      c.header('Location', jobPath(id));
      return c.json(await currentAcceptedView(services.records, id), 202);
    }
    if (record.status === 'succeeded' && record.resultKey !== null) {
      const result = await readTextResult(services.store, record.resultKey);
      if (result !== null) return c.json(toLegacyResponse(result), 200);
    }
    const error = record.error ?? { code: 'UNKNOWN', message: 'the job did not produce a result' };
    const status = httpStatusForJobError(error) as 400 | 409 | 422 | 500;
    throw new HttpError(status, error.message);
  });
}
