import { SHORT_OGG } from '../support/audio';
import { call, uploadJob, waitForJob } from '../support/http';
import { waitFor } from '../support/ports';
import { startStack, TOKEN_A, type Stack } from '../support/stack';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy';

/**
 * A storage outage is not the job's fault: while S3 is unreachable, jobs wait for it (without
 * using their attempts) and finish once it is back, instead of failing after their retries.
 */
describe('storage outage (real S3 server behind a proxy the test cuts)', () => {
  // (the worker checks storage every 5 s; the outage below is longer)
  let stack: Stack;
  let proxy: SwitchableProxy;

  beforeAll(async () => {
    // 2 attempts 0.2 s apart: without waiting for storage the job would fail within a second
    stack = await startStack({ storage: 's3', env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_SECONDS: '0.2', STORAGE_RETRY_SECONDS: '1' } });
    proxy = await startSwitchableProxy(stack.s3!.endpoint);
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it('keeps a job waiting through a 15 s outage, then finishes it', async () => {
    // the worker reaches S3 through the proxy; the API directly
    const worker = await stack.startWorker({ S3_ENDPOINT: proxy.url });
    await proxy.cut();
    const id = await uploadJob(stack.api.url, TOKEN_A, SHORT_OGG);

    await waitFor('the job to wait for storage', async () => {
      const job = (await call(stack.api.url, `/jobs/${id}`, { token: TOKEN_A })).body;
      return job.status === 'queued' && (job.progress as { stage: string }).stage === 'waiting_for_storage';
    });
    const outageEnds = Date.now() + 15_000;
    const seen = new Set<string>();
    while (Date.now() < outageEnds) {
      // tried again every second, it is queued or briefly processing, never failed
      const job = (await call(stack.api.url, `/jobs/${id}`, { token: TOKEN_A })).body;
      seen.add(String(job.status));
      if (job.status === 'queued') expect(job.last_error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect([...seen].filter((status) => status !== 'queued' && status !== 'processing')).toEqual([]);

    // the worker noticed and took no jobs meanwhile
    await worker.waitForOutput(/storage is unreachable: taking no jobs/, 10_000);
    await proxy.restore();
    const job = await waitForJob(stack.api.url, TOKEN_A, id, undefined, 60_000);
    expect(worker.output()).toMatch(/storage answers again: taking jobs/);
    expect(job).toMatchObject({ status: 'succeeded', attempts: expect.any(Number) });
    expect(Number(job.attempts)).toBeLessThanOrEqual(2);
    await worker.kill('SIGKILL');
  });
});
