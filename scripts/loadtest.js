#!/usr/bin/env node
/**
 * npm run loadtest -- [--uploads 300] [--concurrency 10] [--seconds 120] [--storage s3|local] [--worker]
 * Sends valid 1 s WAV uploads (each one different) to a private API on loopback, `concurrency` at
 * a time, until `uploads` were sent or `seconds` passed, and polls each job once. Prints
 * uploads/s, p50/p99 of POST /jobs and GET /jobs/:id, and how many valid uploads were refused
 * (must be 0; exit 1 otherwise). Needs `npm run build`. Loopback only; bounded in count and time.
 */
'use strict';
const { parseArgs } = require('node:util');
const { startLocalStack } = require('./local-stack');

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '120' },
    storage: { type: 'string', default: 's3' },
    worker: { type: 'boolean', default: false },
  },
});
const UPLOADS = Math.min(Number(values.uploads), 5000);
const CONCURRENCY = Math.min(Number(values.concurrency), 64);
const SECONDS = Math.min(Number(values.seconds), 600);
const TOKEN = 'loadtest-token-0123456789';

/** A 1 s, 16 kHz, 16-bit mono WAV: a tone whose pitch depends on `n`, plus noise. */
function wav(n) {
  const rate = 16000;
  const samples = rate;
  const data = Buffer.alloc(44 + samples * 2);
  data.write('RIFF', 0);
  data.writeUInt32LE(36 + samples * 2, 4);
  data.write('WAVEfmt ', 8);
  data.writeUInt32LE(16, 16);
  data.writeUInt16LE(1, 20);
  data.writeUInt16LE(1, 22);
  data.writeUInt32LE(rate, 24);
  data.writeUInt32LE(rate * 2, 28);
  data.writeUInt16LE(2, 32);
  data.writeUInt16LE(16, 34);
  data.write('data', 36);
  data.writeUInt32LE(samples * 2, 40);
  const pitch = 110 + (n % 500);
  for (let i = 0; i < samples; i++) {
    const value = 0.3 * Math.sin((2 * Math.PI * pitch * i) / rate) + 0.05 * (Math.random() * 2 - 1);
    data.writeInt16LE(Math.round(value * 32767), 44 + i * 2);
  }
  return data;
}

const percentile = (values, p) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function main() {
  const stack = await startLocalStack({ storage: values.storage, worker: values.worker, token: TOKEN });
  const base = stack.api.url;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const post = [];
  const get = [];
  const refused = new Map();
  let sent = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  try {
    const client = async () => {
      while (sent < UPLOADS && performance.now() < deadline) {
        const n = sent++;
        const form = new FormData();
        form.append('file', new Blob([wav(n)], { type: 'audio/wav' }), `load-${n}.wav`);
        const t0 = performance.now();
        const response = await fetch(`${base}/jobs`, { method: 'POST', headers, body: form });
        const body = await response.json();
        post.push(performance.now() - t0);
        if (response.status !== 202) {
          const reason = `${response.status} ${body.error ?? ''}`.slice(0, 160);
          refused.set(reason, (refused.get(reason) ?? 0) + 1);
          continue;
        }
        const t1 = performance.now();
        const status = await fetch(`${base}/jobs/${body.id}`, { headers });
        await status.json();
        get.push(performance.now() - t1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
  } finally {
    await stack.stop();
  }
  const elapsed = (performance.now() - started) / 1000;
  const refusedCount = [...refused.values()].reduce((a, b) => a + b, 0);
  const ms = (v) => `${v.toFixed(1)} ms`;
  const rows = [
    ['uploads sent', String(sent)],
    ['valid uploads refused', String(refusedCount)],
    ['uploads/s', (post.length / elapsed).toFixed(1)],
    ['POST /jobs p50 / p99', `${ms(percentile(post, 50))} / ${ms(percentile(post, 99))}`],
    ['GET /jobs/:id p50 / p99', `${ms(percentile(get, 50))} / ${ms(percentile(get, 99))}`],
  ];
  console.log(`loadtest: ${CONCURRENCY} concurrent clients, 1 s WAV uploads, storage ${values.storage}, ${values.worker ? 'one worker' : 'no worker'}, ${elapsed.toFixed(1)} s`);
  for (const [label, value] of rows) console.log(`${label.padEnd(26)}${value}`);
  for (const [reason, count] of refused) console.log(`  refused ${count}x: ${reason}`);
  console.log(
    JSON.stringify({
      uploads: sent,
      refused: refusedCount,
      uploads_per_second: post.length / elapsed,
      post_ms: { p50: percentile(post, 50), p99: percentile(post, 99) },
      get_ms: { p50: percentile(get, 50), p99: percentile(get, 99) },
    }),
  );
  return refusedCount === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
