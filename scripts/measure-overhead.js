#!/usr/bin/env node
/**
 * Measures the job service's own overhead: the time from the start of the upload to the
 * arrival of the webhook, minus the engine's own time for the same job (logged by the worker).
 * Runs a private redis-server, s3rver (or a local folder), the API and one worker, all on this
 * machine. Usage (after `npm run build`): node scripts/measure-overhead.js [runs] [s3|local]
 */
'use strict';
const { createServer } = require('node:http');
const { openAsBlob } = require('node:fs');
const { resolve } = require('node:path');
const { startLocalStack, sleep, ROOT } = require('./local-stack');

const SAMPLE = resolve(ROOT, '../shared/eval/pyannote_sample.wav');
const RUNS = Number(process.argv[2] ?? 10);
const STORAGE = process.argv[3] ?? 's3';
const TOKEN = 'measure-overhead-token';
const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const stack = await startLocalStack({ storage: STORAGE, token: TOKEN, env: { WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'info' } });
  const { api, cleanup } = stack;
  try {
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
      const line = stack.workerOutput().split('\n').find((l) => l.includes('"job succeeded"') && l.includes(id));
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
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
