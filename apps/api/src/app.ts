import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRedisUnavailable, UnsafeUrlError } from '@diarization/jobs';
import { isStorageUnavailable } from '@diarization/storage';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { bearerAuth } from './auth';
import { corsMiddleware } from './cors';
import { HttpError } from './errors';
import { openApiDocument, registerSecurity } from './openapi/document';
import { createRouter } from './openapi/router';
import { requestContext, requestIds, requestLog } from './request-log';
import { diarizeRoutes } from './routes/diarize';
import { consoleRoutes } from './routes/console';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { voiceprintRoutes } from './routes/voiceprints';
import { httpMetrics } from './metrics';
import { metricsRoutes } from './routes/metrics';
import type { ApiServices } from './services';

const API_VERSION = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

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
  // Hono's middleware (bearer-auth) answers with its own response; ours are JSON already
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    if (response.headers.get('content-type')?.startsWith('application/json')) return response;
    return c.json({ error: error.message || 'the request was refused' }, error.status);
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

/**
 * The API. Routes declared with createRoute (OpenAPIHono) appear in /openapi.json; plain Hono
 * routers mount the same way and work, undocumented. Auth is per path prefix, below.
 */
export function createApp(services: ApiServices): OpenAPIHono<AppEnv> {
  const app = createRouter();
  registerSecurity(app);

  app.use(requestContext());
  app.use(requestIds());
  app.use(httpMetrics(services));
  app.use(requestLog(services.logger));
  // before auth: browsers send preflights without a token
  const cors = corsMiddleware(services.config.corsOrigins ?? []);
  if (cors !== undefined) app.use(cors);

  app.route('/', healthRoutes(services));
  app.route('/', metricsRoutes(services));
  app.route('/', docsRoutes(() => openApiDocument(app, API_VERSION)));
  app.route('/', consoleRoutes(services));
  const auth = bearerAuth(services.config.tokens);
  for (const path of ['/jobs', '/jobs/*', '/diarize', '/voiceprints', '/voiceprints/*']) app.use(path, auth);
  app.route('/', jobRoutes(services));
  app.route('/', diarizeRoutes(services));
  app.route('/', voiceprintRoutes(services));

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(error, c, services));
  return app;
}
