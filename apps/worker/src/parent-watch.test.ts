import { PARENT_GONE_REASON, watchParent, type ParentWatch } from './parent-watch';

/** What a write to a pipe whose reader (the worker process) died reports. */
function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchParent (the parent is gone when its output pipe breaks)', () => {
  let watch: ParentWatch | undefined;
  afterEach(() => watch?.stop());

  it('aborts the running work, waits for it to unwind, then exits once', async () => {
    const exits: number[] = [];
    const gone: string[] = [];
    watch = watchParent({ graceMs: 5000, exit: (code) => exits.push(code), onGone: (why) => gone.push(why) });
    const { signal } = watch;
    let unwound = false;
    void watch.track(
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () =>
          setTimeout(() => {
            unwound = true;
            resolve();
          }, 50),
        );
      }),
    );

    process.stdout.emit('error', brokenPipe());
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(PARENT_GONE_REASON);
    expect(gone).toEqual(['the output pipe to the worker process broke']);
    expect(exits).toEqual([]);

    await sleep(150);
    expect(unwound).toBe(true);
    expect(exits).toEqual([0]);
    process.stderr.emit('error', brokenPipe());
    await sleep(20);
    expect(exits).toEqual([0]);
  });

  it('exits after the grace period when the running work does not end', async () => {
    const exits: number[] = [];
    watch = watchParent({ graceMs: 100, exit: (code) => exits.push(code) });
    void watch.track(new Promise<void>(() => undefined));

    process.stderr.emit('error', brokenPipe());
    await sleep(50);
    expect(exits).toEqual([]);
    await sleep(150);
    expect(exits).toEqual([0]);
  });

  it('leaves a process whose parent is alive alone', async () => {
    const exits: number[] = [];
    watch = watchParent({ pollMs: 10, exit: (code) => exits.push(code) });
    await sleep(100);
    expect(watch.signal.aborted).toBe(false);
    expect(exits).toEqual([]);
  });
});
