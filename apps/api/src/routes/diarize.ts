import { httpStatusForJobError, readTextResult, toLegacyResponse } from '@diarization/jobs';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { HttpError } from '../errors';
import { currentAcceptedView, jobPath } from '../job-view';
import type { ApiServices } from '../services';
import { submitJob } from '../submit';

/**
 * POST /diarize, the old service's blocking call: queued like any job, answered with
 * {"speakers", "duration"} when it finishes in time, otherwise 202 with the job to poll.
 */
export function diarizeRoutes(services: ApiServices): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/diarize', async (c) => {
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
