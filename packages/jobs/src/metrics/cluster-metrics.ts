import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys';
import {
  CLUSTER_METRICS,
  type CounterDefinition,
  type HistogramDefinition,
  type ModelLoadStage,
  type WebhookFailureReason,
} from './definitions';

/*
 * Why Redis: jobs run and webhooks go out in worker processes, while Prometheus scrapes the API.
 * Each worker adds its observations to hashes in Redis (one MULTI of HINCRBY per observation) and
 * the API exports the sums, so one scrape of one target gives cluster-wide figures that outlive
 * any single worker (a restarted worker does not reset them; rate() sees one steady counter).
 *
 * Layout: one hash per metric (RedisKeys.metric); fields are the label values as a JSON array,
 * then "|" and the part: `["timeout"]` for a counter, `[]|b3` (observations that fell into
 * bucket 3 and no lower one), `[]|inf`, `[]|count`, `[]|sum` for a histogram.
 */

type Labels<L extends string> = Partial<Record<L, string>>;

function labelField<L extends string>(labelNames: readonly L[], labels: Labels<L>): string {
  return JSON.stringify(labelNames.map((name) => labels[name] ?? ''));
}

/** Records cluster metrics from worker processes. Never throws: a metric must not fail a job. */
export class ClusterMetrics {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** A job succeeded: its attempt's processing time, and that per second of audio. */
  jobSucceeded({ processingSeconds, audioSeconds }: { processingSeconds: number; audioSeconds: number }): Promise<void> {
    return this.write((multi) => {
      this.addObservation(multi, CLUSTER_METRICS.jobDuration, {}, processingSeconds);
      if (audioSeconds > 0) this.addObservation(multi, CLUSTER_METRICS.jobRealTimeFactor, {}, processingSeconds / audioSeconds);
    });
  }

  /** One webhook delivery attempt; `seconds` is null when nothing was sent (no secret). */
  webhookAttempt({ failure, seconds }: { failure: WebhookFailureReason | null; seconds: number | null }): Promise<void> {
    return this.write((multi) => {
      this.addCount(multi, CLUSTER_METRICS.webhookAttempts, { outcome: failure === null ? 'delivered' : 'failed' });
      if (failure !== null) this.addCount(multi, CLUSTER_METRICS.webhookFailures, { reason: failure });
      if (seconds !== null) this.addObservation(multi, CLUSTER_METRICS.webhookDuration, {}, seconds);
    });
  }

  modelLoadFailed(stage: ModelLoadStage): Promise<void> {
    return this.write((multi) => this.addCount(multi, CLUSTER_METRICS.modelLoadFailures, { stage }));
  }

  private async write(fill: (multi: ReturnType<Redis['multi']>) => void): Promise<void> {
    try {
      const multi = this.redis.multi();
      fill(multi);
      await multi.exec();
    } catch (error) {
      this.onError(error);
    }
  }

  private addCount<L extends string>(multi: ReturnType<Redis['multi']>, metric: CounterDefinition<L>, labels: Labels<L>, by = 1): void {
    multi.hincrby(this.keys.metric(metric.name), labelField(metric.labelNames, labels), by);
  }

  private addObservation<L extends string>(
    multi: ReturnType<Redis['multi']>,
    metric: HistogramDefinition<L>,
    labels: Labels<L>,
    value: number,
  ): void {
    if (!Number.isFinite(value) || value < 0) return;
    const key = this.keys.metric(metric.name);
    const series = labelField(metric.labelNames, labels);
    const bucket = metric.buckets.findIndex((bound) => value <= bound);
    multi
      .hincrby(key, `${series}|${bucket === -1 ? 'inf' : `b${bucket}`}`, 1)
      .hincrby(key, `${series}|count`, 1)
      .hincrbyfloat(key, `${series}|sum`, value);
  }
}

export interface CounterSample {
  labels: Record<string, string>;
  value: number;
}

export interface HistogramSample {
  labels: Record<string, string>;
  /** Cumulative counts, one per upper bound of the definition's buckets (+Inf is `count`). */
  cumulative: number[];
  count: number;
  sum: number;
}

function labelsOf(labelNames: readonly string[], field: string): Record<string, string> | null {
  try {
    const values = JSON.parse(field) as unknown;
    if (!Array.isArray(values) || values.length !== labelNames.length) return null;
    return Object.fromEntries(labelNames.map((name, index) => [name, String(values[index])]));
  } catch {
    return null;
  }
}

export function counterSamples(metric: CounterDefinition, hash: Record<string, string>): CounterSample[] {
  const samples: CounterSample[] = [];
  for (const [field, value] of Object.entries(hash)) {
    const labels = labelsOf(metric.labelNames, field);
    if (labels !== null) samples.push({ labels, value: Number(value) });
  }
  return samples;
}

export function histogramSamples(metric: HistogramDefinition, hash: Record<string, string>): HistogramSample[] {
  const bySeries = new Map<string, { counts: number[]; count: number; sum: number }>();
  for (const [field, value] of Object.entries(hash)) {
    const split = field.lastIndexOf('|');
    const series = field.slice(0, split);
    const part = field.slice(split + 1);
    const entry = bySeries.get(series) ?? { counts: metric.buckets.map(() => 0), count: 0, sum: 0 };
    bySeries.set(series, entry);
    if (part === 'count') entry.count = Number(value);
    else if (part === 'sum') entry.sum = Number(value);
    else if (/^b\d+$/.test(part) && Number(part.slice(1)) < entry.counts.length) entry.counts[Number(part.slice(1))] = Number(value);
  }
  const samples: HistogramSample[] = [];
  for (const [series, { counts, count, sum }] of bySeries) {
    const labels = labelsOf(metric.labelNames, series);
    if (labels === null) continue;
    let running = 0;
    samples.push({ labels, cumulative: counts.map((bucketCount) => (running += bucketCount)), count, sum });
  }
  return samples;
}

/** Every cluster metric as it stands in Redis, read in one round trip. */
export async function readClusterMetrics(redis: Redis, keys: RedisKeys): Promise<Map<string, Record<string, string>>> {
  const definitions = Object.values(CLUSTER_METRICS);
  const pipeline = redis.pipeline();
  for (const metric of definitions) pipeline.hgetall(keys.metric(metric.name));
  const results = (await pipeline.exec()) ?? [];
  const hashes = new Map<string, Record<string, string>>();
  definitions.forEach((metric, index) => {
    const [error, hash] = results[index] ?? [new Error('no reply')];
    if (error) throw error;
    hashes.set(metric.name, hash as Record<string, string>);
  });
  return hashes;
}
