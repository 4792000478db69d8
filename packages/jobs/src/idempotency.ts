import type { Redis } from 'ioredis';

/**
 * While a submission runs, its key holds "pending:<job id>"; once the job record exists and the
 * job is queued, it holds the job id. A pending marker lives PENDING_TTL_SECONDS and is renewed
 * while its submission runs, so a crashed API frees the key within a minute.
 */
const PENDING_PREFIX = 'pending:';
export const PENDING_TTL_SECONDS = 60;
const RENEW_EVERY_MS = (PENDING_TTL_SECONDS * 1000) / 3;

/** Sets the pending marker unless the key is taken; answers what was there (nil when claimed). */
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
`;

/** Acts only while the key still holds this submission's marker: ARGV[2] 'expire' | 'set' | 'del'. */
const IF_OURS_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'expire' then redis.call('EXPIRE', KEYS[1], ARGV[3])
elseif ARGV[2] == 'set' then redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])
else redis.call('DEL', KEYS[1]) end
return 1
`;

export type IdempotencyOutcome =
  /** This submission owns the key: complete() once its job is queued, release() if it fails. */
  | { state: 'claimed'; claim: IdempotencyClaim }
  /** An earlier submission with this key created the job. */
  | { state: 'done'; jobId: string }
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

  /** The job exists: later submissions with the key get it, for `ttlSeconds`. */
  async complete(ttlSeconds: number): Promise<void> {
    clearInterval(this.renewal);
    await this.ifOurs('set', ttlSeconds);
  }

  /** The submission failed: the key is free for a retry. */
  async release(): Promise<void> {
    clearInterval(this.renewal);
    await this.ifOurs('del', 0);
  }

  private async ifOurs(action: 'expire' | 'set' | 'del', ttlSeconds: number): Promise<void> {
    await this.redis.eval(IF_OURS_SCRIPT, 1, this.key, this.marker, action, String(ttlSeconds), this.jobId);
  }
}

/** Claims `key` for the submission that will create `jobId`, atomically. */
export async function claimIdempotencyKey(redis: Redis, key: string, jobId: string): Promise<IdempotencyOutcome> {
  const current = (await redis.eval(CLAIM_SCRIPT, 1, key, `${PENDING_PREFIX}${jobId}`, String(PENDING_TTL_SECONDS))) as string | null;
  if (current === null) return { state: 'claimed', claim: new IdempotencyClaim(redis, key, jobId) };
  if (current.startsWith(PENDING_PREFIX)) return { state: 'pending' };
  return { state: 'done', jobId: current };
}
