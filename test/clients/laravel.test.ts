import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import type { RunningApi } from '../../apps/api/src/server';
import { SAMPLE_WAV, SHORT_OGG } from '../support/audio';
import { call, waitForJob } from '../support/http';
import { startStack, TOKEN_A, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { readStm, whisperJson } from '../support/stm-transcript';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { checkPhpClientStack, runPhpClient, startPhpServer, type PhpServer } from './php';
import { markedPhpBlocks, phpBlockCount, readme, writeLaravelSnippets } from './readme-snippets';

/** One request the README's webhook controller received under `php -S`, and its answer. */
interface ControllerLogEntry {
  status: number;
  headers: { 'webhook-id': string | null; 'webhook-timestamp': string | null; 'webhook-signature': string | null };
  body: string;
}

/**
 * The README's Laravel section, run as written by PHP 8 with Debian's illuminate/http and guzzle
 * against the real service (Redis, s3rver, the API, a worker process with the real models), and
 * its webhook controller receiving the service's real deliveries under PHP's built-in server.
 */
describe('README Laravel snippets against the running service', () => {
  let stack: Stack;
  let tmp: TempDir;
  let receiver: PhpServer;
  let snippets: Record<string, string>;
  let webhookLog: string;
  let clientEnv: Record<string, string>;
  const recordingId = `recording-${process.pid}-${Date.now()}`;
  let jobId: string;

  const controllerLog = (): ControllerLogEntry[] =>
    readFileSync(webhookLog, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as ControllerLogEntry);

  beforeAll(async () => {
    checkPhpClientStack();
    tmp = makeTempDir('laravel-client-');
    snippets = writeLaravelSnippets(tmp.path, ['upload', 'poll', 'diarize', 'webhook-controller', 'transcript']);
    webhookLog = join(tmp.path, 'webhooks.jsonl');
    writeFileSync(webhookLog, '');
    stack = await startStack({ storage: 's3' });
    await stack.startWorker();
    receiver = await startPhpServer({ SNIPPETS_DIR: tmp.path, WEBHOOK_LOG: webhookLog, DIARIZATION_WEBHOOK_SECRET: WEBHOOK_SECRET });
    clientEnv = {
      DIARIZATION_URL: stack.api.url,
      DIARIZATION_TOKEN: TOKEN_A,
      WEBHOOK_RECEIVER_URL: `${receiver.url}/webhooks/diarization`,
    };
  });

  afterAll(async () => {
    await receiver?.stop();
    await stack?.stop();
    tmp?.remove();
  });

  it('runs every PHP block of the README\'s Laravel section (each is marked and named here)', () => {
    const marked = markedPhpBlocks(readme(), 'Laravel');
    expect(marked.size).toBe(phpBlockCount(readme(), 'Laravel'));
    expect([...marked.keys()].sort()).toEqual(Object.keys(snippets).sort());
  });

  it('uploads with options, an Idempotency-Key and a webhook_url: 202 and the job id', async () => {
    const report = await runPhpClient([snippets.upload], { ...clientEnv, AUDIO_PATH: SAMPLE_WAV, RECORDING_ID: recordingId });
    expect(report.exception).toBeUndefined();
    expect(report.status).toBe(202);
    expect(report.jobId).toMatch(/^[\w-]{8,}$/);
    jobId = String(report.jobId);
    expect(report.location).toBe(`/jobs/${jobId}`);
    const job = await call(stack.api.url, `/jobs/${jobId}`, { token: TOKEN_A });
    expect(job.status).toBe(200);
    expect(job.body.webhook).toMatchObject({ url: clientEnv.WEBHOOK_RECEIVER_URL });
  });

  it('gets the same job back when the same request is sent again with the same key', async () => {
    const report = await runPhpClient([snippets.upload], { ...clientEnv, AUDIO_PATH: SAMPLE_WAV, RECORDING_ID: recordingId });
    expect(report.exception).toBeUndefined();
    expect(report.status).toBe(202);
    expect(report.replayed).toBe('true');
    expect(report.jobId).toBe(jobId);
  });

  it('surfaces a 422 (the same key with another file) as a RequestException carrying the API error', async () => {
    const report = await runPhpClient([snippets.upload], { ...clientEnv, AUDIO_PATH: SHORT_OGG, RECORDING_ID: recordingId });
    expect(report.jobId).toBeUndefined();
    expect(report.exception).toMatchObject({ class: 'Illuminate\\Http\\Client\\RequestException', status: 422 });
    expect(report.exception?.message).toMatch(/^HTTP request returned status code 422/);
    expect(report.exception?.error).toMatch(/^this Idempotency-Key was used for a different request/);
  });

  it('polls GET /jobs/:id until the job succeeded and fetches its RTTM', async () => {
    const report = await runPhpClient([snippets.poll], { ...clientEnv, JOB_ID: jobId });
    expect(report.exception).toBeUndefined();
    expect(report.job).toMatchObject({ id: jobId, status: 'succeeded', result: { num_speakers: 2 } });
    const rttm = await call(stack.api.url, `/jobs/${jobId}/result?format=rttm`, { token: TOKEN_A });
    expect(rttm.status).toBe(200);
    expect(report.rttm).toBe(rttm.text);
    const speakers = new Set(String(report.rttm).trim().split('\n').map((line) => line.split(' ')[7]));
    expect(speakers).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
  });

  it("verifies the service's real webhook delivery in the README's controller (204)", async () => {
    const job = await waitForJob(stack.api.url, TOKEN_A, jobId, (body) => (body.webhook as { status?: string } | undefined)?.status === 'delivered', 30_000);
    expect(job.webhook).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 204 });
    const deliveries = controllerLog().filter((entry) => entry.headers['webhook-id'] === `msg_${jobId}`);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].status).toBe(204);
    expect(JSON.parse(deliveries[0].body)).toMatchObject({ id: jobId, status: 'succeeded' });
  });

  it('refuses a tampered body or signature (401) and a stale or incomplete delivery (400)', async () => {
    const [delivery] = controllerLog().filter((entry) => entry.headers['webhook-id'] === `msg_${jobId}` && entry.status === 204);
    const headers = delivery.headers as Record<string, string>;
    const post = async (body: string, sent: Record<string, string>): Promise<number> => {
      const response = await fetch(`${receiver.url}/webhooks/diarization`, { method: 'POST', headers: { 'content-type': 'application/json', ...sent }, body });
      return response.status;
    };
    const signature = headers['webhook-signature'].replace(/^v1,(.)/, (_, first: string) => `v1,${first === 'A' ? 'B' : 'A'}`);
    const staleSeconds = Math.floor(Date.now() / 1000) - 600;
    // Signed correctly by the official Standard Webhooks library, but 10 minutes old.
    const staleSignature = new Webhook(WEBHOOK_SECRET).sign(headers['webhook-id'], new Date(staleSeconds * 1000), delivery.body);

    expect(await post(delivery.body.replace('"succeeded"', '"failed"'), headers)).toBe(401);
    expect(await post(delivery.body, { ...headers, 'webhook-signature': signature })).toBe(401);
    expect(await post(delivery.body, { ...headers, 'webhook-id': 'msg_another' })).toBe(401);
    expect(await post(delivery.body, { ...headers, 'webhook-timestamp': String(staleSeconds), 'webhook-signature': staleSignature })).toBe(400);
    const { 'webhook-signature': _signature, ...unsigned } = headers;
    expect(await post(delivery.body, unsigned)).toBe(401);
    const { 'webhook-id': _id, ...anonymous } = headers;
    expect(await post(delivery.body, anonymous)).toBe(400);
    // The genuine delivery, sent again within its 5 minutes, is still accepted.
    expect(await post(delivery.body, headers)).toBe(204);
  });

  it("sends Whisper's transcript with the audio and gets it back with speakers, as JSON and SRT", async () => {
    const transcriptPath = join(tmp.path, 'whisper.json');
    writeFileSync(transcriptPath, JSON.stringify(whisperJson()));
    const report = await runPhpClient([snippets.transcript], { ...clientEnv, AUDIO_PATH: SAMPLE_WAV, TRANSCRIPT_PATH: transcriptPath });
    expect(report.exception).toBeUndefined();
    expect(report.job).toMatchObject({ id: report.jobId, status: 'succeeded' });
    // What the snippet read is what the API serves for that job (segments: PHP's arrays cannot tell {} from []).
    const result = await call(stack.api.url, `/jobs/${String(report.jobId)}/result`, { token: TOKEN_A });
    expect(report.transcript?.segments).toEqual((result.body.transcript as { segments: unknown }).segments);
    const srt = await call(stack.api.url, `/jobs/${String(report.jobId)}/result?format=srt`, { token: TOKEN_A });
    expect(report.srt).toBe(srt.text);
    const segments = (report.transcript?.segments ?? []) as { speaker: string | null; words?: unknown[] }[];
    expect(segments).toHaveLength(readStm().length);
    expect(new Set(segments.map((segment) => segment.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    expect(report.srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\nSPEAKER_0[01]: \S/);
  });

  it('calls POST /diarize and gets 200 with speakers and duration', async () => {
    const report = await runPhpClient([snippets.diarize], { ...clientEnv, AUDIO_PATH: SAMPLE_WAV });
    expect(report.exception).toBeUndefined();
    expect(report.status).toBe(200);
    expect(report.duration).toBeCloseTo(30, 0);
    expect(report.speakers?.length).toBeGreaterThan(0);
    expect(new Set(report.speakers?.map((segment) => segment.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    for (const segment of report.speakers ?? []) expect(segment.end).toBeGreaterThan(segment.start);
  });

  it('falls back to 202 with the job id when the sync wait runs out, and the job then succeeds', async () => {
    const quick: RunningApi = await stack.startExtraApi({ SYNC_TIMEOUT_SECONDS: '0.05' });
    const report = await runPhpClient([snippets.diarize], { ...clientEnv, DIARIZATION_URL: quick.url, AUDIO_PATH: SAMPLE_WAV });
    expect(report.exception).toBeUndefined();
    expect(report.status).toBe(202);
    expect(report.speakers).toBeUndefined();
    expect(report.jobId).toMatch(/^[\w-]{8,}$/);
    const polled = await runPhpClient([snippets.poll], { ...clientEnv, DIARIZATION_URL: quick.url, JOB_ID: String(report.jobId) });
    expect(polled.job).toMatchObject({ id: report.jobId, status: 'succeeded' });
    expect(polled.rttm).toMatch(/^SPEAKER \S+ 1 /);
  });
});

