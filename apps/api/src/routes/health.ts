import { listWorkers } from '@diarization/jobs';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
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

/** GET /health (no auth): healthy when Redis and storage answer and a live worker has its models. */
export function healthRoutes(services: ApiServices): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/health', async (c) => {
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
    const body: Record<string, unknown> = {
      status: healthy ? 'healthy' : 'degraded',
      model_loaded: modelLoaded,
      redis,
      storage,
      workers: workers.length,
    };
    const modelErrors = [...new Set(workers.map((worker) => worker.model_error).filter((error): error is string => error !== null))];
    if (!modelLoaded && modelErrors.length > 0) body.model_error = modelErrors[0];
    return c.json(body, healthy ? 200 : 503);
  });
}
