'use strict';
/**
 * The service on this machine for the measurement scripts (measure-overhead.js, loadtest.js): a
 * private redis-server, s3rver (or a local folder), the API in this process and, optionally, one
 * worker process, all on loopback and free ports. Needs `npm run build` first.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { createServer: createNetServer } = require('node:net');

const ROOT = resolve(__dirname, '..');

const freePort = () =>
  new Promise((ok) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** SIGKILL to each child; to the whole process group of those started detached (the worker). */
const killGroups = (children) => {
  for (const { child, group } of children) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(group ? -child.pid : child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};

/**
 * Starts the stack; `stop()` tears everything down (also on Ctrl-C). `workerOutput()` is what the
 * worker printed so far.
 */
async function startLocalStack({ storage = 's3', worker = true, token, env: extraEnv = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'local-stack-'));
  const children = [];
  const cleanup = [];
  const stop = async () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    killGroups(children);
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  // A detached worker no longer gets the terminal's Ctrl-C: forward it.
  const interrupted = () => {
    killGroups(children);
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const redisPort = await freePort();
    children.push({ child: spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }), group: false });
    await sleep(300);
    const env = {
      DIARIZATION_TOKEN: token,
      DIARIZATION_HOST: '127.0.0.1',
      DIARIZATION_PORT: '0',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    };
    if (storage === 's3') {
      const S3rver = require('s3rver');
      const s3Port = await freePort();
      const s3 = new S3rver({ port: s3Port, address: '127.0.0.1', directory: join(dir, 's3'), silent: true });
      await s3.run();
      cleanup.push(() => s3.close());
      Object.assign(env, {
        S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
        S3_BUCKET: 'local-stack',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      });
    } else {
      env.STORAGE_DIR = join(dir, 'data');
    }
    Object.assign(process.env, env);
    const { loadConfig, silentLogger } = require('@diarization/config');
    const { startApi } = require('../apps/api/dist/server');
    const api = await startApi(loadConfig(env, 'all'), silentLogger);
    cleanup.push(() => api.close());

    let workerOutput = '';
    if (worker) {
      // Its own process group, so that stop() also kills its BullMQ sandbox children.
      const child = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, cwd: dir, detached: true });
      children.push({ child, group: true });
      child.stdout.on('data', (chunk) => (workerOutput += chunk));
      while (!workerOutput.includes('"worker ready"')) await sleep(50);
    }
    return { api, env, dir, cleanup, workerOutput: () => workerOutput, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { startLocalStack, sleep, ROOT };
