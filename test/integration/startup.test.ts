import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { freePort } from '../support/ports';
import { REPO_ROOT, WORKER_MAIN } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

const API_MAIN = resolve(REPO_ROOT, 'apps/api/dist/main.js');

function run(script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [script], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('start-up configuration errors', () => {
  it('stops the API with one message naming each bad variable, and no stack trace', () => {
    const result = run(API_MAIN, { DIARIZATION_PORT: 'http', REDIS_URL: 'localhost', MAX_UPLOAD_BYTES: '10MB' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid configuration:\n' +
        '  - DIARIZATION_PORT: must be a whole number (got "http")\n' +
        '  - DIARIZATION_TOKEN: required: set one bearer token, or several separated by commas\n' +
        '  - MAX_UPLOAD_BYTES: must be a whole number (got "10MB")\n' +
        '  - REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (got "localhost")\n' +
        'See .env.example for every variable and its default.\n',
    );
    expect(result.stdout).toBe('');
  });

  it('says in one line that the port is taken, and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolvePort) => taken.listen(0, '127.0.0.1', resolvePort));
    const port = (taken.address() as AddressInfo).port;
    const data = makeTempDir();
    try {
      // Redis is not there either: the API starts anyway (503 until it is), then cannot listen
      const result = run(API_MAIN, {
        DIARIZATION_TOKEN: 'startup-test-token-0123',
        DIARIZATION_HOST: '127.0.0.1',
        DIARIZATION_PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        STORAGE_DIR: data.path,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n').pop()).toBe(
        `cannot listen on 127.0.0.1:${port}: port ${port} is already in use: stop what listens there or set DIARIZATION_PORT`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
      data.remove();
    }
  });

  it('stops the worker the same way', () => {
    const result = run(WORKER_MAIN, { EXECUTION_PROVIDER: 'gpu', WORKER_CONCURRENCY: 'many' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('  - EXECUTION_PROVIDER: must be "cpu" or "cuda" (got "gpu")\n');
    expect(result.stderr).toContain('  - WORKER_CONCURRENCY: must be a whole number (got "many")\n');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
