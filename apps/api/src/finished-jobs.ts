import type { Logger } from '@diarization/config';
import { isTerminal, parseFinishedEvent, type JobRecord, type JobRecordStore } from '@diarization/jobs';
import type { Redis } from 'ioredis';

/** How often a waiter re-reads the record in case a pub/sub message was missed. */
const POLL_MS = 2000;

/** Lets a request wait for a job to finish: Redis pub/sub, with polling as a safety net. */
export class FinishedJobs {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly subscriber: Redis,
    channel: string,
    private readonly records: JobRecordStore,
    logger: Logger,
  ) {
    subscriber.subscribe(channel).catch((error: unknown) => logger.warn('could not subscribe to job events', { error }));
    subscriber.on('message', (_channel: string, message: string) => {
      const finished = parseFinishedEvent(message);
      if (finished !== null) this.waiters.get(finished.id)?.forEach((wake) => wake());
    });
  }

  /** The finished record, or null when `timeoutMs` passes (or `signal` aborts) first. */
  async waitForTerminal(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<JobRecord | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.records.get(jobId).catch(() => null);
      if (record !== null && isTerminal(record.status)) return record;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal?.aborted) return null;
      await this.nextEvent(jobId, Math.min(POLL_MS, remaining), signal);
    }
  }

  private nextEvent(jobId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(jobId) ?? new Set<() => void>();
      this.waiters.set(jobId, set);
      const wake = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(jobId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal?.addEventListener('abort', wake, { once: true });
      set.add(wake);
    });
  }

  close(): void {
    for (const set of this.waiters.values()) set.forEach((wake) => wake());
  }
}
