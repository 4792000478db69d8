/**
 * A BullMQ sandbox child must not outlive the worker process that forked it. When that process
 * dies alone (OOM killer, `kill -9`, a crash), nothing else stops the child: BullMQ's child code
 * does not watch its IPC channel, its SIGTERM handler waits for the running job, and its
 * 'uncaughtException' handler reports the error over the (closed) channel, which fails, which is
 * an unhandled rejection, which is the next uncaught exception: a loop that never returns to the
 * event loop (a core at 100 %, memory growing, SIGTERM never handled). The first such exception
 * comes from the first write to the broken stdout/stderr pipes, e.g. a Redis connection error
 * that BullMQ prints. Left running, the child would also finish the job a second time after
 * another worker took it over once its lock expired.
 */

/** Abort reason of a running attempt whose worker process is gone. */
export const PARENT_GONE_REASON = 'worker-process-gone';

export interface ParentWatchOptions {
  /** How often the parent's pid is compared, for a parent lost without a 'disconnect'. */
  pollMs?: number;
  /** How long running work may take to unwind (temp files) before the process exits. */
  graceMs?: number;
  /** Told once, before the process exits; errors there are ignored. */
  onGone?: (why: string) => void;
  /** Ends the process; `process.exit` unless a test replaces it. */
  exit?: (code: number) => void;
}

export interface ParentWatch {
  /** Aborted, with PARENT_GONE_REASON, once the parent is gone. */
  readonly signal: AbortSignal;
  /** Runs `work` so that an exit because of a lost parent waits (up to the grace) for it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Removes the timers and the listeners (tests). */
  stop(): void;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_GRACE_MS = 1000;

/** Watches this process's parent; once it is gone, aborts the running work and exits. */
export function watchParent(options: ParentWatchOptions = {}): ParentWatch {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  const running = new Set<Promise<unknown>>();
  const parentPid = process.ppid;
  const hasChannel = typeof process.send === 'function';
  let exiting = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const exitNow = (): void => {
    if (exiting) return;
    exiting = true;
    exit(0);
  };
  const gone = (why: string): void => {
    if (controller.signal.aborted) return;
    clearInterval(poll);
    // From now on an uncaught error ends the process at once (onUncaught), never loops.
    controller.abort(PARENT_GONE_REASON);
    try {
      options.onGone?.(why);
    } catch {
      // Nothing to report to: the parent was the only reader.
    }
    graceTimer = setTimeout(exitNow, options.graceMs ?? DEFAULT_GRACE_MS);
    void Promise.allSettled([...running]).then(() => {
      if (graceTimer !== undefined) exitNow();
    });
  };

  const onDisconnect = (): void => gone('the IPC channel to the worker process closed');
  // The only reader of these pipes is the parent: EPIPE means it is gone. A listener also keeps
  // the write error from becoming an uncaught exception.
  const onStdioError = (): void => gone('the output pipe to the worker process broke');
  // Registered after BullMQ's own handler, so it runs right after it: with the channel closed,
  // exit at once instead of letting that handler's failed send start the loop described above.
  const onUncaught = (): void => {
    if (hasChannel && !process.connected) gone('an uncaught error after the IPC channel closed');
    if (controller.signal.aborted) exitNow();
  };
  const poll = setInterval(() => {
    if (process.ppid !== parentPid) gone(`the worker process (pid ${parentPid}) exited`);
  }, options.pollMs ?? DEFAULT_POLL_MS);
  poll.unref();

  process.stdout.on('error', onStdioError);
  process.stderr.on('error', onStdioError);
  if (hasChannel) {
    process.once('disconnect', onDisconnect);
    // Only beside BullMQ's handler (a forked child): alone, it would swallow uncaught errors.
    process.on('uncaughtException', onUncaught);
  }

  function stop(): void {
    clearInterval(poll);
    clearTimeout(graceTimer);
    graceTimer = undefined;
    process.off('disconnect', onDisconnect);
    process.stdout.off('error', onStdioError);
    process.stderr.off('error', onStdioError);
    process.off('uncaughtException', onUncaught);
  }

  return {
    signal: controller.signal,
    track: <T>(work: Promise<T>): Promise<T> => {
      running.add(work);
      const forget = (): void => {
        running.delete(work);
      };
      work.then(forget, forget);
      return work;
    },
    stop,
  };
}
