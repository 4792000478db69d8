import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { bearerAuth } from '../auth';
import { apiMetrics } from '../metrics';
import type { ApiServices } from '../services';

export const METRICS_OFF = 'metrics are off: set METRICS_TOKEN';

/**
 * GET /metrics: the Prometheus text format, behind its own bearer token (METRICS_TOKEN), so a
 * scraper's credential cannot submit or read jobs. Not part of the OpenAPI document: it is for
 * operators' scrapers, not for API clients.
 */
export function metricsRoutes(services: ApiServices): Hono<AppEnv> {
  const router = new Hono<AppEnv>();
  const tokens = services.config.metricsTokens ?? [];
  if (tokens.length === 0) {
    router.get('/metrics', (c) => c.json({ error: METRICS_OFF }, 404));
    return router;
  }
  const { registry } = apiMetrics(services);
  router.get('/metrics', bearerAuth(tokens), async (c) => {
    const text = await registry.metrics();
    return c.body(text, 200, { 'content-type': registry.contentType });
  });
  return router;
}
