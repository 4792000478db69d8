import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { childPids, isRunning, killIfRunning, REPO_ROOT } from '../../../test/support/processes';
import { freePort, waitFor } from '../../../test/support/ports';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';

const BULLMQ_CHILD_MAIN = resolve(REPO_ROOT, 'node_modules/bullmq/dist/cjs/classes/main.js');
const PROCESSOR = resolve(REPO_ROOT, 'apps/worker/dist/processor.js');

/**
 * Stands in for the worker process: forks a sandbox child with BullMQ's own Child class (what
 * its ChildPool does: IPC channel, stdout/stderr piped to this process), loads our processor
 * there and runs one job in it. The job's data is invalid, so the attempt fails at once, but
 * only after the processor opened its Redis connection and webhook queue.
 */
const FAKE_WORKER = `
const { Child, ChildCommand, ParentCommand } = require(${JSON.stringify(require.resolve('bullmq'))});
const [main, processor] = process.argv.slice(2);
const child = new Child(main, processor, { useWorkerThreads: false, workerForkOptions: { env: process.env, execArgv: [] } });
child.on('message', (message) => {
  if (message.cmd === ParentCommand.Failed) console.log('SANDBOX-CHILD-READY ' + child.pid);
});
child.init().then(() =>
  child.send({ cmd: ChildCommand.Start, token: 'token', job: { id: '1', name: 'diarize', data: '{}', opts: { attempts: 1 }, attemptsMade: 0 } }),
);
`;

describe('the sandboxed processor in a BullMQ child', () => {
  let dir: TempDir;
  let fakeWorkerScript: string;
  const started: number[] = [];

  beforeAll(() => {
    if (!existsSync(PROCESSOR)) throw new Error(`${PROCESSOR} is missing: run \`npx tsc -b\` first`);
    dir = makeTempDir();
    fakeWorkerScript = join(dir.path, 'fake-worker.js');
    writeFileSync(fakeWorkerScript, FAKE_WORKER);
  });
  afterEach(() => {
    // The fake worker leads its own process group, which its child stays in, orphaned or not.
    for (const group of started.splice(0, 1)) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    killIfRunning(started.splice(0));
  });
  afterAll(() => dir.remove());

  it('stays quiet while Redis is down, and exits at once when its worker process is killed alone', async () => {
    // Nothing listens there: every reconnect of the child's connection fails.
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const fakeWorker = spawn(process.execPath, [fakeWorkerScript, BULLMQ_CHILD_MAIN, PROCESSOR], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: deadRedis, STORAGE_DIR: join(dir.path, 'data'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    fakeWorker.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    fakeWorker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (fakeWorker.pid === undefined) throw new Error('could not start the fake worker');
    started.push(fakeWorker.pid);

    const childPid = await waitFor(
      'the sandbox child to run a job',
      async () => {
        if (fakeWorker.exitCode !== null) throw new Error(`the fake worker exited:\n${stdout}\n${stderr}`);
        const match = /SANDBOX-CHILD-READY (\d+)/.exec(stdout);
        return match ? Number(match[1]) : null;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    started.push(childPid);
    expect(childPids(fakeWorker.pid)).toEqual([childPid]);

    // Redis stays down for a few reconnects (200, 400, 600 ms apart): the child lives on and
    // prints nothing (BullMQ used to print each connection error, with its stack).
    await new Promise((resolveWait) => setTimeout(resolveWait, 2500));
    expect(isRunning(childPid)).toBe(true);
    expect(stderr).toBe('');
    expect(stdout).not.toMatch(/ECONNREFUSED|\n\s+at /);

    // The worker process alone dies (not its process group): its child must follow.
    const killedAt = Date.now();
    process.kill(fakeWorker.pid, 'SIGKILL');
    await waitFor('the orphaned sandbox child to exit', async () => !isRunning(childPid), { timeoutMs: 3000, intervalMs: 25 });
    expect(Date.now() - killedAt).toBeLessThan(3000);
  });
});
