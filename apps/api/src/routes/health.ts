import { listWorkers } from '@diarization/jobs';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { createRouter, errorResponses, json } from '../openapi/router';
import { healthSchema, type Health } from '../openapi/schemas';
import type { ApiServices } from '../services';

const CHECK_TIMEOUT_MS = 3000;

async function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Service'],
  summary: 'Health of the service and its dependencies',
  description: 'Healthy when Redis and storage answer and a live worker has loaded its models. No token needed.',
  security: [],
  responses: {
    200: json(healthSchema, 'Healthy.'),
    503: json(healthSchema, 'Degraded: the body says which part is down.'),
    ...errorResponses([500]),
  },
});

/** GET /health (no auth): healthy when Redis and storage answer and a live worker has its models. */
export function healthRoutes(services: ApiServices): OpenAPIHono<AppEnv> {
  return createRouter().openapi(healthRoute, async (c) => {
    const [redis, storage] = await Promise.all([
      withTimeout(services.redis.ping()).then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      ),
      withTimeout(services.store.ping()).then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      ),
    ]);
    const workers = redis === 'ok' ? await withTimeout(listWorkers(services.redis, services.keys)).catch(() => []) : [];
    const modelLoaded = workers.some((worker) => worker.models_loaded);
    const healthy = redis === 'ok' && storage === 'ok' && modelLoaded;
    const body: Health = {
      status: healthy ? 'healthy' : 'degraded',
      model_loaded: modelLoaded,
      redis,
      storage,
      workers: workers.length,
    };
    const modelErrors = [...new Set(workers.map((worker) => worker.model_error).filter((error): error is string => error !== null))];
    if (!modelLoaded && modelErrors.length > 0) body.model_error = modelErrors[0];
    return healthy ? c.json(body, 200) : c.json(body, 503);
  });
}
