import { randomUUID } from 'node:crypto';
import { isRedisUnavailable, UnsafeUrlError } from '@diarization/jobs';
import { isStorageUnavailable } from '@diarization/storage';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './app-env';
import { bearerAuth } from './auth';
import { HttpError } from './errors';
import { diarizeRoutes } from './routes/diarize';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import type { ApiServices } from './services';

/** Maps any error to `{"error": "..."}` with a fitting status; never a stack trace. */
function errorResponse(error: unknown, c: Context<AppEnv>, services: ApiServices): Response {
  if (error instanceof HttpError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json({ error: error.message }, error.status);
  }
  if (error instanceof UnsafeUrlError) return c.json({ error: error.message }, 400);
  if (isRedisUnavailable(error)) {
    c.header('Retry-After', '5');
    return c.json({ error: 'the job queue (Redis) is unavailable; try again shortly' }, 503);
  }
  if (isStorageUnavailable(error)) {
    c.header('Retry-After', '5');
    return c.json({ error: 'audio storage is unavailable; try again shortly' }, 503);
  }
  const requestId = c.get('requestId');
  services.logger.error('unexpected error', { request_id: requestId, path: c.req.path, error });
  return c.json({ error: `internal error (request id ${requestId}); the server log has the details` }, 500);
}

export function createApp(services: ApiServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) ?? randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    services.logger.info('request', {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  app.route('/', healthRoutes(services));
  const auth = bearerAuth(services.config.tokens);
  app.use('/jobs', auth);
  app.use('/jobs/*', auth);
  app.use('/diarize', auth);
  app.route('/', jobRoutes(services));
  app.route('/', diarizeRoutes(services));

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(error, c, services));
  return app;
}
