import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { audioObjectKey, resultObjectKey } from '@diarization/jobs';
import { S3ObjectStore } from '@diarization/storage';
import type { RunningApi } from '../../apps/api/src/server';
import { fakeWav, longAudio, m4aAudio, SAMPLE_WAV, SHORT_OGG } from '../support/audio';
import { truncated } from '../support/audio-formats';
import { audioForm, call, uploadJob, waitForJob } from '../support/http';
import { sendFile, startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { waitFor } from '../support/ports';
import { startStack, TOKEN_A, TOKEN_B, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Standard Webhooks verification written from the spec, independent of the service's code. */
function signatureIsValid(hook: ReceivedWebhook): boolean {
  const key = Buffer.from(WEBHOOK_SECRET.replace(/^whsec_/, ''), 'base64');
  const content = `${String(hook.headers['webhook-id'])}.${String(hook.headers['webhook-timestamp'])}.${hook.body}`;
  const expected = createHmac('sha256', key).update(content).digest('base64');
  return String(hook.headers['webhook-signature'])
    .split(' ')
    .some((entry) => entry === `v1,${expected}`);
}

describe('job service end to end (Redis, S3, real models)', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  let files: LoopbackServer;
  const webhooks: ReceivedWebhook[] = [];
  /** /audio/held.ogg answers only once release() is called; `requested` lists what was asked for. */
  const held = { requested: new Set<string>(), release: (): void => undefined };

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 's3' });
    api = stack.api.url;
    await stack.startWorker();
    // Serves test audio (audio_url) and receives webhooks.
    const m4a = m4aAudio(tmp.path);
    files = await startLoopbackServer((request, response) => {
      if (request.method === 'POST' && request.url === '/hooks') {
        let body = '';
        request.on('data', (chunk) => (body += String(chunk)));
        request.on('end', () => {
          webhooks.push({ headers: request.headers, body });
          response.writeHead(204).end();
        });
      } else if (request.url === '/audio/sample.m4a') {
        sendFile(response, m4a, 'audio/mp4');
      } else if (request.url === '/audio/sample.wav') {
        sendFile(response, SAMPLE_WAV, 'audio/wav');
      } else if (request.url === '/audio/chunked.wav') {
        // No Content-Length: the limit must be enforced while streaming.
        response.writeHead(200, { 'content-type': 'audio/wav' });
        createReadStream(SAMPLE_WAV).pipe(response);
      } else if (request.url?.startsWith('/audio/held.ogg')) {
        held.requested.add(request.url);
        void new Promise<void>((resolve) => (held.release = resolve)).then(() => sendFile(response, SHORT_OGG, 'audio/ogg'));
      } else if (request.url === '/redirect') {
        response.writeHead(302, { location: '/audio/sample.m4a' }).end();
      } else {
        response.writeHead(404).end('no such file');
      }
    });
  });

  afterAll(async () => {
    await files?.close();
    await stack?.stop();
    tmp?.remove();
  });

  /** The audio objects in the bucket, read with the S3 API directly. */
  const audioKeys = async (): Promise<string[]> => {
    if (stack.s3 === null) throw new Error('no s3');
    const client = new S3Client({
      endpoint: stack.s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: stack.s3.accessKeyId, secretAccessKey: stack.s3.secretAccessKey },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: 'audio/' }));
    client.destroy();
    return (listed.Contents ?? []).map((object) => String(object.Key)).sort();
  };

  const s3Store = () => {
    if (stack.s3 === null) throw new Error('no s3');
    return new S3ObjectStore({ ...stack.s3, region: 'us-east-1', forcePathStyle: true });
  };

  it('reports healthy with a live worker whose models are loaded', async () => {
    const health = await waitFor('healthy', async () => {
      const response = await call(api, '/health');
      return response.status === 200 ? response : false;
    });
    expect(health.body).toEqual({ status: 'healthy', model_loaded: true, redis: 'ok', storage: 'ok', workers: 1 });
  });

  it('runs an uploaded file through the queue: 202, progress, result as JSON and RTTM, audio deleted', async () => {
    const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { num_speakers: '2' }) });
    expect(response.status).toBe(202);
    const id = String(response.body.id);
    expect(response.body).toEqual({ id, status: 'queued', links: { self: `/jobs/${id}` } });
    expect(response.headers.get('location')).toBe(`/jobs/${id}`);

    const job = await waitForJob(api, TOKEN_A, id);
    expect(job).toMatchObject({ id, status: 'succeeded', progress: { stage: 'done', percent: 100 } });
    expect(typeof job.created_at).toBe('string');
    expect(Date.parse(String(job.finished_at))).toBeGreaterThanOrEqual(Date.parse(String(job.started_at)));
    expect(job.result).toMatchObject({ duration: 30, num_speakers: 2 });

    const result = await call(api, `/jobs/${id}/result`, { token: TOKEN_A });
    expect(result.status).toBe(200);
    const segments = result.body.segments as { speaker: string; start: number; end: number }[];
    expect(segments.length).toBeGreaterThan(2);
    expect(new Set(segments.map((segment) => segment.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    // Models by manifest id and checksum prefix: nothing of the server's file layout.
    const model = { id: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{12}$/) };
    expect(result.body.models).toEqual({ segmentation: model, embedding: model });
    expect(result.text).not.toMatch(/["\s(]\/[\w.-]+\//);

    const rttm = await call(api, `/jobs/${id}/result?format=rttm`, { token: TOKEN_A });
    expect(rttm.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(rttm.text.trim().split('\n')).toHaveLength(segments.length);
    expect(rttm.text).toMatch(/^SPEAKER pyannote_sample 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> SPEAKER_0\d <NA> <NA>$/m);

    const store = s3Store();
    expect(await store.head(audioObjectKey(id))).toBeNull();
    expect(await store.head(resultObjectKey(id))).not.toBeNull();
    store.destroy();
  });

  it('runs a job with the fast preset', async () => {
    const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { num_speakers: '2', preset: 'fast' }) });
    expect(response.status).toBe(202);
    const job = await waitForJob(api, TOKEN_A, String(response.body.id));
    expect(job).toMatchObject({ status: 'succeeded', result: { duration: 30, num_speakers: 2 } });
  });

  it('downloads audio_url (m4a, through a redirect) and posts a signed webhook', async () => {
    const response = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/redirect`, webhook_url: `${files.url}/hooks`, exclusive: true }),
    });
    expect(response.status).toBe(202);
    const id = String(response.body.id);
    const job = await waitForJob(api, TOKEN_A, id, (body) => (body.webhook as { status?: string } | undefined)?.status === 'delivered');
    expect(job.status).toBe('succeeded');
    expect(job.webhook).toMatchObject({ url: `${files.url}/hooks`, status: 'delivered', attempts: 1, last_status_code: 204 });

    const hook = webhooks.find((received) => received.body.includes(id));
    expect(hook).toBeDefined();
    expect(signatureIsValid(hook!)).toBe(true);
    expect(hook!.headers['webhook-id']).toBe(`msg_${id}`);
    const payload = JSON.parse(hook!.body) as { id: string; status: string; result: { exclusive: boolean; duration: number } };
    expect(payload).toMatchObject({ id, status: 'succeeded', result: { exclusive: true } });
    expect(payload.result.duration).toBeCloseTo(5.24, 1);
    expect(hook!.body).not.toMatch(/["\s(]\/[\w.-]+\//); // no absolute path (model files) in the webhook
  });

  it('sends a webhook for a failed job too', async () => {
    const response = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/missing.wav`, webhook_url: `${files.url}/hooks` }),
    });
    // The download fails at submission time: nothing is queued, so no webhook either.
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('audio_url could not be downloaded: the server answered HTTP 404');
  });

  it('answers the legacy POST /diarize with exactly {speakers, duration}, ignoring fields the old service did not know', async () => {
    const fields = { num_speakers: '1', webhook_url: 'http://127.0.0.1:9/hook', identify: 'true', return_embeddings: 'true', colour: 'red' };
    const response = await call(api, '/diarize', { method: 'POST', token: TOKEN_A, body: await audioForm(SHORT_OGG, fields) });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['duration', 'speakers']);
    expect(response.body.duration).toBeCloseTo(5.239, 2);
    const speakers = response.body.speakers as Record<string, unknown>[];
    expect(speakers.length).toBeGreaterThan(0);
    for (const segment of speakers) {
      expect(Object.keys(segment).sort()).toEqual(['end', 'speaker', 'start']);
      expect(segment.speaker).toBe('SPEAKER_00');
    }
    const refused = await call(api, '/diarize', { method: 'POST', token: TOKEN_A, body: await audioForm(SHORT_OGG, { num_speakers: 'two' }) });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/^num_speakers: /);
  });

  it('falls back to 202 with the job when /diarize passes its time limit', async () => {
    const quick: RunningApi = await stack.startExtraApi({ SYNC_TIMEOUT_SECONDS: '0.05' });
    const response = await call(quick.url, '/diarize', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV) });
    expect(response.status).toBe(202);
    const id = String(response.body.id);
    expect(response.headers.get('location')).toBe(`/jobs/${id}`);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
  });

  it('refuses undecodable files with 422 on both endpoints, before queueing', async () => {
    const before = await audioKeys();
    const fake = fakeWav(tmp.path);
    const legacy = await call(api, '/diarize', { method: 'POST', token: TOKEN_A, body: await audioForm(fake) });
    expect(legacy.status).toBe(422);
    expect(legacy.body).toEqual({ error: 'could not decode audio: the file is not a recognised audio or video format, or it is corrupt' });
    const queued = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(fake) });
    expect(queued.status).toBe(422);
    const empty = new FormData();
    empty.append('file', new Blob([]), 'empty.wav');
    const emptyResponse = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: empty });
    expect(emptyResponse).toMatchObject({ status: 422, body: { error: 'the audio is empty: the file is empty (0 bytes)' } });
    expect(await audioKeys()).toEqual(before);
  });

  it('refuses a truncated WAV and audio longer than MAX_AUDIO_SECONDS with 422, keeping nothing', async () => {
    const before = await audioKeys();
    const cut = truncated(tmp.path, SAMPLE_WAV, 0.5, 'cut.wav');
    const truncatedResponse = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(cut) });
    expect(truncatedResponse.status).toBe(422);
    expect(String(truncatedResponse.body.error)).toMatch(/^could not decode audio: the WAV file is truncated \(its header declares \d+ bytes of audio, the file holds \d+\)$/);

    const short = await stack.startExtraApi({ MAX_AUDIO_SECONDS: '10' });
    const tooLong = await call(short.url, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV) });
    expect(tooLong).toMatchObject({ status: 422, body: { error: 'the audio is too long: 30 s, the limit is 10 s' } });
    const tooLongUrl = await call(short.url, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/audio/sample.wav` }),
    });
    expect(tooLongUrl).toMatchObject({ status: 422, body: { error: 'the audio is too long: 30 s, the limit is 10 s' } });
    expect(await audioKeys()).toEqual(before);
  });

  it('answers 415 for bodies that are neither multipart nor JSON, and for text uploads', async () => {
    const plain = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(plain.status).toBe(415);
    expect(plain.body.error).toMatch(/multipart\/form-data/);
    const jsonFile = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      body: await audioForm(fakeWav(tmp.path), {}, 'application/json'),
    });
    expect(jsonFile).toMatchObject({ status: 415, body: { error: 'the uploaded file is application/json, not audio' } });
  });

  it('answers 400 with the offending field for bad parameters', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ num_speakers: '0' }, /^num_speakers: must be a whole number between 1 and 50$/],
      [{ min_speakers: '4', max_speakers: '2' }, /^min_speakers: must not be greater than max_speakers$/],
      [{ num_speakers: '2', min_speakers: '3' }, /^num_speakers: must not be less than min_speakers$/],
      [{ exclusive: 'perhaps' }, /^exclusive: must be true or false$/],
      [{ preset: 'turbo' }, /^preset: must be one of default, fast$/],
      [{ speakers: '2' }, /^unknown field\(s\): speakers$/],
      [{ webhook_url: 'ftp://example.com/x' }, /^webhook_url: webhook_url must be an http/],
    ];
    for (const [fields, message] of cases) {
      const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SHORT_OGG, fields) });
      expect({ fields, status: response.status }).toEqual({ fields, status: 400 });
      expect(String(response.body.error)).toMatch(message);
    }
    const noFile = new FormData();
    noFile.append('num_speakers', '2');
    expect((await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: noFile })).body.error).toBe(
      'no audio: send the file as the multipart field "file"',
    );
    const badJson = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: '{"audio_url": ',
    });
    expect(badJson).toMatchObject({ status: 400, body: { error: 'the body is not valid JSON' } });
  });

  it('refuses private webhook and audio URLs unless ALLOW_PRIVATE_URLS is on', async () => {
    const strict = await stack.startExtraApi({ ALLOW_PRIVATE_URLS: 'false' });
    const webhook = await call(strict.url, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      body: await audioForm(SHORT_OGG, { webhook_url: 'http://169.254.169.254/latest' }),
    });
    expect(webhook.status).toBe(400);
    expect(webhook.body.error).toMatch(/webhook_url points to a private, loopback or link-local address: 169\.254\.169\.254/);
    const audio = await call(strict.url, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url.replace('127.0.0.1', 'localhost')}/audio/sample.m4a` }),
    });
    expect(audio.status).toBe(400);
    expect(audio.body.error).toMatch(/audio_url points to a private.*localhost \(resolves to/);
  });

  it('answers 413 above MAX_UPLOAD_BYTES, for uploads and audio_url, and keeps no partial object', async () => {
    const small = await stack.startExtraApi({ MAX_UPLOAD_BYTES: '100000' });
    const before = await audioKeys();
    const upload = await call(small.url, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV) });
    expect(upload.status).toBe(413);
    expect(upload.body.error).toBe('the audio is larger than the limit of 100000 bytes (MAX_UPLOAD_BYTES)');
    for (const path of ['/audio/sample.wav', '/audio/chunked.wav']) {
      const fromUrl = await call(small.url, '/jobs', {
        method: 'POST',
        token: TOKEN_A,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ audio_url: `${files.url}${path}` }),
      });
      expect({ path, status: fromUrl.status }).toEqual({ path, status: 413 });
    }
    expect(await audioKeys()).toEqual(before);
  });

  it('checks bearer tokens and keeps jobs private to the token that created them', async () => {
    const missing = await call(api, '/jobs/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body.error).toMatch(/Authorization: Bearer/);
    const wrong = await call(api, '/jobs', { method: 'POST', token: 'not-a-token', body: await audioForm(SHORT_OGG) });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid bearer token' } });
    expect((await call(api, '/diarize', { method: 'POST' })).status).toBe(401);

    const id = await uploadJob(api, TOKEN_A, SHORT_OGG);
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_B })).status).toBe(404);
    expect((await call(api, `/jobs/${id}/result`, { token: TOKEN_B })).status).toBe(404);
    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_B })).status).toBe(404);
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).status).toBe(200);
    const unknown = await call(api, '/jobs/00000000-0000-0000-0000-000000000000', { token: TOKEN_A });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/no such job/);
    const route = await call(api, '/nope');
    expect(route).toMatchObject({ status: 404, body: { error: 'no route for GET /nope' } });
  });

  it('returns the same job for a repeated Idempotency-Key from the same token', async () => {
    const first = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'upload-42' }, body: await audioForm(SHORT_OGG) });
    const again = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'upload-42' }, body: await audioForm(SHORT_OGG) });
    const otherToken = await call(api, '/jobs', { method: 'POST', token: TOKEN_B, headers: { 'idempotency-key': 'upload-42' }, body: await audioForm(SHORT_OGG) });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(otherToken.body.id).not.toBe(first.body.id);
  });

  it('answers a replay with the job as it is now, and after DELETE creates a new job rather than naming a deleted one', async () => {
    const submit = async () =>
      call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'replay-after-delete' }, body: await audioForm(SHORT_OGG) });
    const first = await submit();
    const id = String(first.body.id);
    await waitForJob(api, TOKEN_A, id);
    const replay = await submit();
    expect(replay).toMatchObject({ status: 202, body: { id, status: 'succeeded' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(204);
    const afterDelete = await submit();
    expect(afterDelete.status).toBe(202);
    expect(afterDelete.body.id).not.toBe(id);
    expect(afterDelete.headers.get('idempotent-replayed')).toBeNull();
    expect((await call(api, `/jobs/${String(afterDelete.body.id)}`, { token: TOKEN_A })).status).toBe(200);
  });

  it('answers 409 to a duplicate Idempotency-Key while the first request is still running, never a job that does not exist yet', async () => {
    const submit = (body: Record<string, unknown>) =>
      call(api, '/jobs', {
        method: 'POST',
        token: TOKEN_A,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'held-1' },
        body: JSON.stringify(body),
      });
    const first = submit({ audio_url: `${files.url}/audio/held.ogg?first` });
    // The API claims the key before it downloads: once the download is asked for, it is held.
    await waitFor('the first download', async () => held.requested.has('/audio/held.ogg?first'));
    const duplicate = await submit({ audio_url: `${files.url}/audio/held.ogg?duplicate` });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({ error: 'a request with this Idempotency-Key is still being processed; retry shortly to get its job' });
    expect(duplicate.headers.get('retry-after')).toBe('1');
    expect(held.requested.has('/audio/held.ogg?duplicate')).toBe(false);

    held.release();
    const created = await first;
    expect(created.status).toBe(202);
    expect(created.headers.get('idempotent-replayed')).toBeNull();
    const replay = await submit({ audio_url: `${files.url}/audio/held.ogg?first` });
    expect(replay).toMatchObject({ status: 202, body: { id: created.body.id } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(api, `/jobs/${String(created.body.id)}`, { token: TOKEN_A })).status).toBe(200);
    // the same key with another request is refused, not answered with the first job
    const other = await submit({ audio_url: `${files.url}/audio/held.ogg?replay` });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatch(/Idempotency-Key was used for a different request/);
  });

  it('binds an Idempotency-Key to the uploaded file and options: another file or option gets 422', async () => {
    const post = async (file: string, fields: Record<string, string> = {}) =>
      call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'bound-key' }, body: await audioForm(file, fields) });
    const first = await post(SHORT_OGG, { num_speakers: '2' });
    expect(first.status).toBe(202);
    // the same meaning in another spelling is the same request
    expect(await post(SHORT_OGG, { num_speakers: ' 2 ' })).toMatchObject({ status: 202, body: { id: first.body.id } });
    expect((await post(SAMPLE_WAV, { num_speakers: '2' })).status).toBe(422);
    expect((await post(SHORT_OGG, { num_speakers: '3' })).status).toBe(422);
    expect((await post(SHORT_OGG)).status).toBe(422);
  });

  it('creates one job for simultaneous requests with the same Idempotency-Key, and every 202 names a job that exists', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'burst-1' }, body: await audioForm(SHORT_OGG) });
        // Looked up at once, while the other requests may still be running.
        const lookup = response.status === 202 ? (await call(api, `/jobs/${String(response.body.id)}`, { token: TOKEN_A })).status : null;
        return { response, lookup };
      }),
    );
    const created = attempts.filter(({ response }) => response.status === 202 && response.headers.get('idempotent-replayed') === null);
    expect(created).toHaveLength(1);
    const id = String(created[0].response.body.id);
    for (const { response, lookup } of attempts) {
      if (response.status === 409) {
        expect(response.headers.get('retry-after')).toBe('1');
        continue;
      }
      expect({ status: response.status, id: response.body.id, lookup }).toEqual({ status: 202, id, lookup: 200 });
    }
  });

  it('frees an Idempotency-Key whose request was refused, so a corrected retry creates the job', async () => {
    const refused = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'fix-1' }, body: await audioForm(fakeWav(tmp.path)) });
    expect(refused.status).toBe(422);
    const retried = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'idempotency-key': 'fix-1' }, body: await audioForm(SHORT_OGG) });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('cancels a running job: the engine stops, the audio is deleted, the status is canceled', async () => {
    const worker = stack.workers[0];
    const id = await uploadJob(api, TOKEN_A, longAudio(tmp.path, 8), { webhook_url: `${files.url}/hooks` });
    await waitForJob(api, TOKEN_A, id, (job) => job.status === 'processing' && Number((job.progress as { percent: number }).percent) > 0);
    const response = await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, status: 'canceled', error: { code: 'CANCELED' } });
    // The worker's engine was aborted, not left to run to the end.
    await worker.waitForOutput(new RegExp(`"job canceled while running".*"job_id":"${id}"|"job_id":"${id}".*"job canceled while running"`), 30_000);
    const store = s3Store();
    expect(await store.head(audioObjectKey(id))).toBeNull();
    expect(await store.head(resultObjectKey(id))).toBeNull();
    store.destroy();
    const job = await waitForJob(api, TOKEN_A, id, (body) => (body.webhook as { status?: string } | undefined)?.status === 'delivered');
    expect(job.status).toBe('canceled');
    const hook = webhooks.find((received) => received.body.includes(id));
    expect(JSON.parse(hook!.body)).toEqual({ id, status: 'canceled', error: { code: 'CANCELED', message: 'the job was canceled by its owner' } });
    // The worker is free again.
    expect((await waitForJob(api, TOKEN_A, await uploadJob(api, TOKEN_A, SHORT_OGG))).status).toBe('succeeded');
    // Deleting the canceled job removes it: 204, then 404.
    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(204);
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).status).toBe(404);
  });

  /** A multipart upload written by hand, for what FormData cannot send. */
  const handWrittenUpload = (disposition: string, audio: Buffer, extraHeaders = ''): { headers: Record<string, string>; body: Blob } => {
    const boundary = 'hand-written-5d1e';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: audio/ogg${extraHeaders}\r\n\r\n`;
    return {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: new Blob([Buffer.from(head, 'latin1'), audio, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]),
    };
  };

  it('runs a streamed WAV (RIFF and data sizes 0xFFFFFFFF, as `ffmpeg -f wav pipe:1` writes) to success', async () => {
    const streamed = join(tmp.path, 'streamed.wav');
    writeFileSync(streamed, execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', SHORT_OGG, '-f', 'wav', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 }));
    const header = readFileSync(streamed).subarray(0, 4096);
    expect([header.readUInt32LE(4), header.readUInt32LE(header.indexOf('data') + 4)]).toEqual([0xffffffff, 0xffffffff]);
    const id = await uploadJob(api, TOKEN_A, streamed);
    const job = await waitForJob(api, TOKEN_A, id);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect((job.result as { duration: number }).duration).toBeCloseTo(5.24, 1);
  });

  it('keeps control characters of an uploaded file name out of the job and its RTTM', async () => {
    const upload = handWrittenUpload(`filename*=UTF-8''med%00kit%0A%1B%5B2J.ogg`, readFileSync(SHORT_OGG));
    const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, ...upload });
    expect(response.status).toBe(202);
    const id = String(response.body.id);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    const rttm = await call(api, `/jobs/${id}/result?format=rttm`, { token: TOKEN_A });
    const lines = rttm.text.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^SPEAKER medkit\[2J 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> SPEAKER_\d\d <NA> <NA>$/);
  });

  it('refuses a part header over 16 KB with a 400 saying so, keeping nothing', async () => {
    const before = await audioKeys();
    const upload = handWrittenUpload('filename="padded.ogg"', readFileSync(SHORT_OGG), `\r\nX-Padding: ${'p'.repeat(20 * 1024)}`);
    const response = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, ...upload });
    expect(response).toMatchObject({ status: 400, body: { error: "malformed multipart body: a part's headers are longer than 16384 bytes" } });
    expect(await audioKeys()).toEqual(before);
  });

  it('deletes a finished job with its result', async () => {
    const id = await uploadJob(api, TOKEN_A, SHORT_OGG);
    await waitForJob(api, TOKEN_A, id);
    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(204);
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).status).toBe(404);
    const store = s3Store();
    expect(await store.head(resultObjectKey(id))).toBeNull();
    store.destroy();
  });

  describe("GET /jobs: the caller's own jobs", () => {
    // tokens of their own, so that the other tests' jobs are not in these listings
    const CAROL = 'token-carol-0123456789';
    const DAVE = 'token-dave-0123456789';
    let listing: RunningApi;
    /** Carol's jobs, oldest first: the first four canceled, the last one succeeded. */
    const carols: string[] = [];
    let daves: string;

    const list = async (query: string, token = CAROL) => call(listing.url, `/jobs${query}`, { token });
    const ids = (body: Record<string, unknown>): string[] => (body.jobs as { id: string }[]).map((job) => job.id);

    beforeAll(async () => {
      listing = await stack.startExtraApi({ DIARIZATION_TOKEN: `${CAROL},${DAVE}` });
      // long audio for the jobs to cancel, each canceled at once, so that none ends before its DELETE
      const long = longAudio(tmp.path, 4);
      const submitAndCancel = async (token: string): Promise<string> => {
        const id = await uploadJob(listing.url, token, long);
        expect((await call(listing.url, `/jobs/${id}`, { method: 'DELETE', token })).status).toBe(200);
        return id;
      };
      for (let index = 0; index < 4; index++) carols.push(await submitAndCancel(CAROL));
      daves = await submitAndCancel(DAVE);
      carols.push(await uploadJob(listing.url, CAROL, SHORT_OGG));
      expect((await waitForJob(listing.url, CAROL, carols[4])).status).toBe('succeeded');
    });

    it("lists only the caller's jobs, newest first, as GET /jobs/:id shows them", async () => {
      const carol = await list('');
      expect(carol.status).toBe(200);
      expect(ids(carol.body)).toEqual([...carols].reverse());
      expect(carol.body.next_cursor).toBeNull();
      expect(carol.body.links).toEqual({ self: '/jobs' });
      const newest = (carol.body.jobs as Record<string, unknown>[])[0];
      expect(newest).toEqual((await call(listing.url, `/jobs/${carols[4]}`, { token: CAROL })).body);
      expect(ids((await list('', DAVE)).body)).toEqual([daves]);
      // the stack's own tokens see none of these
      const aliceOwn = ids((await call(api, '/jobs?limit=100', { token: TOKEN_A })).body);
      for (const id of [...carols, daves]) expect(aliceOwn).not.toContain(id);
    });

    it('pages over more jobs than the limit, each job once, and the next link leads on', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let query = '?limit=2';
      for (let page = 0; page < 10; page++) {
        const response = await list(query);
        expect(response.status).toBe(200);
        sizes.push(ids(response.body).length);
        seen.push(...ids(response.body));
        const links = response.body.links as { next?: string };
        if (response.body.next_cursor === null) {
          expect(links.next).toBeUndefined();
          break;
        }
        expect(links.next).toBe(`/jobs?limit=2&cursor=${String(response.body.next_cursor)}`);
        query = String(links.next).slice('/jobs'.length);
      }
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual([...carols].reverse());
      // another token's cursor shows nothing of Carol's
      const first = await list('?limit=2');
      const borrowed = await list(`?limit=2&cursor=${String(first.body.next_cursor)}`, DAVE);
      expect(borrowed.status).toBe(200);
      for (const id of ids(borrowed.body)) expect(carols).not.toContain(id);
    });

    it('filters by status', async () => {
      expect(ids((await list('?status=canceled')).body)).toEqual(carols.slice(0, 4).reverse());
      expect(ids((await list('?status=succeeded')).body)).toEqual([carols[4]]);
      expect(ids((await list('?status=queued')).body)).toEqual([]);
      const paged = await list('?status=canceled&limit=3');
      expect(ids(paged.body)).toEqual(carols.slice(1, 4).reverse());
      const next = (paged.body.links as { next: string }).next;
      expect(next).toMatch(/^\/jobs\?status=canceled&limit=3&cursor=/);
      expect(ids((await list(next.slice('/jobs'.length))).body)).toEqual([carols[0]]);
    });

    it('keeps limit within 1..100 and refuses unknown fields and foreign cursors with 400', async () => {
      expect((await list('?limit=1')).status).toBe(200);
      expect((await list('?limit=100')).status).toBe(200);
      const notACursor = 'cursor: not a cursor this service issued (pass next_cursor from the previous page unchanged)';
      const cases: [string, string][] = [
        ['?limit=0', 'limit: must be a whole number from 1 to 100'],
        ['?limit=101', 'limit: must be a whole number from 1 to 100'],
        ['?limit=2.5', 'limit: must be a whole number from 1 to 100'],
        ['?limit=', 'limit: must be a whole number from 1 to 100'],
        ['?status=done', 'status: must be one of queued, processing, succeeded, failed, canceled'],
        ['?page=2', 'unknown field(s): page'],
        ['?cursor=bm90LWEtY3Vyc29y', notACursor],
        ['?cursor=%25%25', notACursor],
      ];
      for (const [query, error] of cases) {
        const response = await list(query);
        expect({ query, status: response.status, body: response.body }).toEqual({ query, status: 400, body: { error } });
      }
    });

    it('drops a deleted job from the listing', async () => {
      expect((await call(listing.url, `/jobs/${carols[4]}`, { method: 'DELETE', token: CAROL })).status).toBe(204);
      expect(ids((await list('')).body)).toEqual(carols.slice(0, 4).reverse());
    });
  });
});
