import { isTerminal, readTextResult, resultObjectKey, toRttm } from '@diarization/jobs';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { HttpError, notFound } from '../errors';
import { acceptedView, currentAcceptedView, jobPath, jobView } from '../job-view';
import type { ApiServices } from '../services';
import { submitJob } from '../submit';
import { parseOrBadRequest } from '../validation';

const resultQuery = z.object({ format: z.enum(['json', 'rttm'], { error: 'format must be json or rttm' }).default('json') }).strict();
const jobId = z.string().uuid({ error: 'not a job id' });

export function jobRoutes(services: ApiServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** The caller's job, or 404 for unknown ids and other tokens' jobs alike. */
  const ownJob = async (id: string, owner: string) => {
    if (!jobId.safeParse(id).success) throw notFound();
    const record = await services.records.get(id);
    if (record === null || record.owner !== owner) throw notFound();
    return record;
  };

  app.post('/jobs', async (c) => {
    const { id, replayed } = await submitJob(c, services, { legacy: false });
    c.header('Location', jobPath(id));
    if (!replayed) return c.json(acceptedView(id), 202);
    // a replay answers with the job as it is now, not as it was when first queued
    c.header('Idempotent-Replayed', 'true');
    return c.json(await currentAcceptedView(services.records, id), 202);
  });

  app.get('/jobs/:id', async (c) => c.json(jobView(await ownJob(c.req.param('id'), c.get('owner')))));

  app.get('/jobs/:id/result', async (c) => {
    const { format } = parseOrBadRequest(resultQuery, c.req.query());
    const record = await ownJob(c.req.param('id'), c.get('owner'));
    if (record.status !== 'succeeded' || record.resultKey === null) {
      throw new HttpError(409, `the job has no result: its status is ${record.status}`);
    }
    const result = await readTextResult(services.store, record.resultKey);
    if (result === null) throw notFound('the result is no longer stored (retention period over)');
    if (format === 'rttm') {
      const uri = record.filename?.replace(/\.[^.]*$/, '') ?? record.id;
      return c.body(toRttm(result, uri), 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    return c.json(result);
  });

  app.delete('/jobs/:id', async (c) => {
    const record = await ownJob(c.req.param('id'), c.get('owner'));
    const id = record.id;
    const wasActive = !isTerminal(record.status);
    if (wasActive) {
      // One atomic step: a running attempt is told through its announcement, a queued job is
      // skipped when its turn comes, and its webhook goes out through the outbox.
      const canceled = await services.records.markCanceled(id);
      if (canceled.changed) services.logger.info('job canceled', { job_id: id, was: canceled.previous });
    }
    await services.store.delete(record.audioKey);
    await services.store.delete(resultObjectKey(id));
    const current = await services.records.get(id);
    if (wasActive && current?.status === 'canceled') {
      // canceled by this call: the record stays, so that the caller (and the webhook) see it
      return c.json(jobView(current));
    }
    // a job that had ended (succeeded, failed or canceled before): nothing of it remains
    await services.records.remove(id);
    return c.body(null, 204);
  });

  return app;
}
