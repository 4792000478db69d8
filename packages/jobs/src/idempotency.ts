import type { Redis } from 'ioredis';
import { luaScript } from './lua-scripts';

/**
 * While a submission runs, its key holds "pending:<job id>"; once the job record exists and the
 * job is queued, it holds the job id. A pending marker lives PENDING_TTL_SECONDS and is renewed
 * while its submission runs, so a crashed API frees the key within a minute.
 */
const PENDING_PREFIX = 'pending:';
export const PENDING_TTL_SECONDS = 60;
const RENEW_EVERY_MS = (PENDING_TTL_SECONDS * 1000) / 3;

/** Sets the pending marker unless the key is taken; answers what was there (nil when claimed). */
const CLAIM_SCRIPT = luaScript('claim-idempotency-key');

/** Acts only while the key still holds this submission's marker: ARGV[2] 'expire' | 'set' | 'del'. */
const IF_OURS_SCRIPT = luaScript('if-idempotency-claim-ours');

/** Replaces a finished job's id (ARGV[1]) with this submission's pending marker (ARGV[2]); 1 when done. */
const TAKE_OVER_SCRIPT = luaScript('take-over-idempotency-key');

export type IdempotencyOutcome =
  /** This submission owns the key: complete() once its job is queued, release() if it fails. */
  | { state: 'claimed'; claim: IdempotencyClaim }
  /** An earlier submission with this key created the job; `fingerprint` is that request's, when recorded. */
  | { state: 'done'; jobId: string; fingerprint?: string }
  /** An earlier submission with this key is still running; its job does not exist yet. */
  | { state: 'pending' };

export class IdempotencyClaim {
  private readonly marker: string;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly jobId: string,
  ) {
    this.marker = `${PENDING_PREFIX}${jobId}`;
    this.renewal = setInterval(() => void this.ifOurs('expire', PENDING_TTL_SECONDS).catch(() => undefined), RENEW_EVERY_MS);
    this.renewal.unref();
  }

  /**
   * The job exists: later submissions with the key get it, for `ttlSeconds`, when their request
   * has the same `fingerprint` (see the API's requestFingerprint).
   */
  async complete(ttlSeconds: number, fingerprint?: string): Promise<void> {
    clearInterval(this.renewal);
    await this.ifOurs('set', ttlSeconds, fingerprint === undefined ? this.jobId : `${this.jobId} ${fingerprint}`);
  }

  /** The submission failed: the key is free for a retry. */
  async release(): Promise<void> {
    clearInterval(this.renewal);
    await this.ifOurs('del', 0);
  }

  private async ifOurs(action: 'expire' | 'set' | 'del', ttlSeconds: number, value = this.jobId): Promise<void> {
    await this.redis.eval(IF_OURS_SCRIPT, 1, this.key, this.marker, action, String(ttlSeconds), value);
  }
}

/**
 * Claims `key` for the submission that will create `jobId`, atomically. A key whose job no longer
 * exists (`jobExists` says so: deleted, or expired) is taken over, so that a replay never names a
 * job that GET answers 404 for.
 */
export async function claimIdempotencyKey(
  redis: Redis,
  key: string,
  jobId: string,
  jobExists: (id: string) => Promise<boolean>,
): Promise<IdempotencyOutcome> {
  const marker = `${PENDING_PREFIX}${jobId}`;
  for (;;) {
    const current = (await redis.eval(CLAIM_SCRIPT, 1, key, marker, String(PENDING_TTL_SECONDS))) as string | null;
    if (current === null) return { state: 'claimed', claim: new IdempotencyClaim(redis, key, jobId) };
    if (current.startsWith(PENDING_PREFIX)) return { state: 'pending' };
    const [earlierJob, fingerprint] = current.split(' ');
    if (await jobExists(earlierJob)) return { state: 'done', jobId: earlierJob, ...(fingerprint ? { fingerprint } : {}) };
    if ((await redis.eval(TAKE_OVER_SCRIPT, 1, key, current, marker, String(PENDING_TTL_SECONDS))) === 1) {
      return { state: 'claimed', claim: new IdempotencyClaim(redis, key, jobId) };
    }
    // another submission took it over meanwhile: look again
  }
}
