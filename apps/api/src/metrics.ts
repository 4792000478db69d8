import {
  API_METRICS,
  CLUSTER_METRICS,
  counterSamples,
  countJobsByStatus,
  histogramSamples,
  listWorkers,
  QUEUE_STATES,
  DIARIZE_QUEUE,
  type CounterDefinition,
  type HistogramDefinition,
} from '@diarization/jobs';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';
import type { AppEnv } from './app-env';
import type { ApiServices } from './services';

/**
 * The API's Prometheus registry: its own HTTP series and process metrics, and, read from Redis
 * and BullMQ at scrape time, the cluster-wide series (jobs by state, queue depth, live workers,
 * and what the workers record through ClusterMetrics). Names, help and buckets come from
 * @diarization/jobs' metrics/definitions.ts.
 */
export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<string>;
  httpDuration: Histogram<string>;
}

/** A cluster histogram: its buckets live in a Redis hash that the workers fill. */
class RedisHistogram extends Histogram<string> {
  constructor(
    private readonly definition: HistogramDefinition,
    registry: Registry,
    private readonly readHash: () => Promise<Record<string, string>>,
  ) {
    super({ name: definition.name, help: definition.help, labelNames: [...definition.labelNames], buckets: [...definition.buckets], registers: [registry] });
  }

  /** The registry prefers this one to get() when it writes the text format. */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const { name, buckets } = this.definition;
    const values: MetricValueWithName<string>[] = [];
    for (const sample of histogramSamples(this.definition, await this.readHash())) {
      buckets.forEach((bound, index) => values.push({ metricName: `${name}_bucket`, labels: { ...sample.labels, le: bound }, value: sample.cumulative[index] }));
      values.push({ metricName: `${name}_bucket`, labels: { ...sample.labels, le: '+Inf' }, value: sample.count });
      values.push({ metricName: `${name}_sum`, labels: sample.labels, value: sample.sum });
      values.push({ metricName: `${name}_count`, labels: sample.labels, value: sample.count });
    }
    // (prom-client's typings declare `type` as a numeric enum; at run time it is the text format's word)
    const metric = { name, help: this.definition.help, type: 'histogram', values, aggregator: 'sum', collect: () => undefined };
    return metric as unknown as MetricObjectWithValues<MetricValueWithName<string>>;
  }

  override get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    return this.getForPromString();
  }
}

/** A cluster counter: its value lives in a Redis hash that the workers increment. */
function redisCounter(definition: CounterDefinition, registry: Registry, readHash: () => Promise<Record<string, string>>): Counter<string> {
  return new Counter({
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
    async collect() {
      const samples = counterSamples(definition, await readHash());
      this.reset();
      for (const { labels, value } of samples) this.inc(labels, value);
    },
  });
}

function createApiMetrics(services: ApiServices): ApiMetrics {
  const { redis, keys } = services;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({ ...API_METRICS.httpRequests, labelNames: [...API_METRICS.httpRequests.labelNames], registers: [registry] });
  const httpDuration = new Histogram({
    ...API_METRICS.httpDuration,
    labelNames: [...API_METRICS.httpDuration.labelNames],
    buckets: [...API_METRICS.httpDuration.buckets],
    registers: [registry],
  });

  new Gauge({
    ...API_METRICS.jobs,
    labelNames: [...API_METRICS.jobs.labelNames],
    registers: [registry],
    async collect() {
      const counts = await countJobsByStatus(redis, keys);
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  new Gauge({
    ...API_METRICS.queueJobs,
    labelNames: [...API_METRICS.queueJobs.labelNames],
    registers: [registry],
    async collect() {
      const counts = await services.diarizeQueue.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) this.set({ queue: DIARIZE_QUEUE, state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    ...API_METRICS.workers,
    labelNames: [],
    registers: [registry],
    async collect() {
      this.set((await listWorkers(redis, keys)).length);
    },
  });

  const hashOf = (name: string) => () => redis.hgetall(keys.metric(name));
  for (const definition of Object.values(CLUSTER_METRICS)) {
    if (definition.type === 'histogram') new RedisHistogram(definition, registry, hashOf(definition.name));
    else redisCounter(definition, registry, hashOf(definition.name));
  }
  return { registry, httpRequests, httpDuration };
}

const perServices = new WeakMap<ApiServices, ApiMetrics>();

/** One registry per API (the app's middleware and its /metrics route share it). */
export function apiMetrics(services: ApiServices): ApiMetrics {
  let metrics = perServices.get(services);
  if (metrics === undefined) {
    metrics = createApiMetrics(services);
    perServices.set(services, metrics);
  }
  return metrics;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route pattern a request matched ("/jobs/:id"), never its raw path, so that label values
 * stay few: the handler's route even when a middleware (auth) answered first; "unmatched" for
 * requests no route takes (404s of random paths).
 */
export function routePattern(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'unmatched';
}

/** Counts and times every request (until its response headers: streamed bodies may take longer). */
export function httpMetrics(services: ApiServices): MiddlewareHandler<AppEnv> {
  const { httpRequests, httpDuration } = apiMetrics(services);
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const labels = {
        method: KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER',
        route: routePattern(c),
        status: String(c.res.status),
      };
      httpRequests.inc(labels);
      httpDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}
