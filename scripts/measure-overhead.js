#!/usr/bin/env node
/**
 * Measures the job service's own overhead: the time from the start of the upload to the
 * arrival of the webhook, minus the engine's own time for the same job (logged by the worker).
 * Runs a private redis-server, s3rver (or a local folder), the API and one worker, all on this
 * machine. Usage (after `npm run build`): node scripts/measure-overhead.js [runs] [s3|local]
 */
'use strict';
const { spawn } = require('node:child_process');
const { createServer } = require('node:http');
const { mkdtempSync, rmSync, openAsBlob } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { createServer: createNetServer } = require('node:net');

const ROOT = resolve(__dirname, '..');
const SAMPLE = resolve(ROOT, '../shared/eval/pyannote_sample.wav');
const RUNS = Number(process.argv[2] ?? 10);
const STORAGE = process.argv[3] ?? 's3';
const TOKEN = 'measure-token';
const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

const freePort = () =>
  new Promise((ok) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'measure-'));
  const children = [];
  const cleanup = [];
  const killAll = () => killGroups(children);
  // A detached worker no longer gets the terminal's Ctrl-C: forward it.
  const interrupted = () => {
    killAll();
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
      DIARIZATION_TOKEN: TOKEN,
      DIARIZATION_HOST: '127.0.0.1',
      DIARIZATION_PORT: '0',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      WEBHOOK_SECRET: SECRET,
      ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'info',
    };
    if (STORAGE === 's3') {
      const S3rver = require('s3rver');
      const s3Port = await freePort();
      const s3 = new S3rver({ port: s3Port, address: '127.0.0.1', directory: join(dir, 's3'), silent: true });
      await s3.run();
      cleanup.push(() => s3.close());
      Object.assign(env, {
        S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
        S3_BUCKET: 'measure',
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
    // Its own process group, so that the cleanup also kills its BullMQ sandbox children.
    const worker = spawn(process.execPath, [join(ROOT, 'apps/worker/dist/main.js')], { env: { ...process.env, ...env }, cwd: dir, detached: true });
    children.push({ child: worker, group: true });
    worker.stdout.on('data', (chunk) => (workerOutput += chunk));
    while (!workerOutput.includes('"worker ready"')) await sleep(50);

    const arrivals = new Map();
    const hooks = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        arrivals.set(JSON.parse(body).id, performance.now());
        response.writeHead(204).end();
      });
    });
    await new Promise((ok) => hooks.listen(0, '127.0.0.1', ok));
    cleanup.push(() => new Promise((ok) => hooks.close(ok)));
    const hookUrl = `http://127.0.0.1:${hooks.address().port}/hook`;

    const rows = [];
    for (let run = 0; run <= RUNS; run++) {
      const form = new FormData();
      form.append('webhook_url', hookUrl);
      form.append('file', await openAsBlob(SAMPLE), 'pyannote_sample.wav');
      const started = performance.now();
      const response = await fetch(`${api.url}/jobs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
      const accepted = performance.now();
      const { id } = await response.json();
      while (!arrivals.has(id)) await sleep(2);
      const total = arrivals.get(id) - started;
      const line = workerOutput.split('\n').find((l) => l.includes('"job succeeded"') && l.includes(id));
      const engine = JSON.parse(line).engine_seconds * 1000;
      // Run 0 warms the child process (first job loads the models there); it is reported apart.
      rows.push({ run, upload_ms: accepted - started, total_ms: total, engine_ms: engine, overhead_ms: total - engine });
    }
    console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]))));
    const warm = rows.slice(1);
    console.log(
      `storage=${STORAGE} runs=${warm.length} median overhead ${Math.round(median(warm.map((r) => r.overhead_ms)))} ms ` +
        `(min ${Math.round(Math.min(...warm.map((r) => r.overhead_ms)))}, max ${Math.round(Math.max(...warm.map((r) => r.overhead_ms)))}); ` +
        `median engine ${Math.round(median(warm.map((r) => r.engine_ms)))} ms; first job overhead ${Math.round(rows[0].overhead_ms)} ms`,
    );
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    killAll();
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
