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

/** The dependency an error says is down, with what the client is told; undefined for other errors. */
function unavailableDependency(error: unknown): { name: 'storage' | 'redis'; message: string } | undefined {
  if (isStorageUnavailable(error)) return { name: 'storage', message: 'audio storage is unavailable; try again shortly' };
  if (isRedisUnavailable(error)) return { name: 'redis', message: 'the job queue (Redis) is unavailable; try again shortly' };
  return undefined;
}

/** Maps any error to `{"error": "..."}` with a fitting status; never a stack trace. */
function errorResponse(error: unknown, c: Context<AppEnv>, services: ApiServices): Response {
  if (error instanceof HttpError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json({ error: error.message }, error.status);
  }
  if (error instanceof UnsafeUrlError) return c.json({ error: error.message }, 400);
  const requestId = c.get('requestId');
  // Storage first: its errors can carry the same socket codes (ECONNREFUSED...) as Redis's.
  const dependency = unavailableDependency(error);
  if (dependency !== undefined) {
    services.logger.warn(`${dependency.name} unavailable; answering 503`, {
      request_id: requestId,
      path: c.req.path,
      dependency: dependency.name,
      error,
    });
    c.header('Retry-After', '5');
    return c.json({ error: dependency.message }, 503);
  }
  if (c.req.raw.signal.aborted) {
    // the client went away mid-request: nobody reads this answer, and nothing is down
    services.logger.info('the client closed the connection before the request was complete', { request_id: requestId, path: c.req.path });
    return c.json({ error: 'the request was not received completely' }, 400);
  }
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
