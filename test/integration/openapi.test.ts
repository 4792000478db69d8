import { createHash } from 'node:crypto';
import { hashToken, RedisKeys } from '@diarization/jobs';
import { fakeWav, longAudio, SHORT_OGG } from '../support/audio';
import { audioForm, call, waitForJob, type JsonResponse } from '../support/http';
import { sendFile, startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { OpenApiMatcher } from '../support/openapi-matcher';
import { freePort, waitFor } from '../support/ports';
import { startStack, TOKEN_A, TOKEN_B, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/**
 * Real responses of every route, success and error, checked against the document the service
 * serves at /openapi.json: path, method, status, content type and body schema.
 */
describe('the OpenAPI document matches what the service answers', () => {
  let stack: Stack;
  let api: string;
  let matcher: OpenApiMatcher;
  let tmp: TempDir;
  let files: LoopbackServer;
  const checked: string[] = [];

  /** Calls the service and checks the answer against the document. */
  async function documented(baseUrl: string, method: string, path: string, init: RequestInit & { token?: string } = {}): Promise<JsonResponse> {
    const response = await call(baseUrl, path, { ...init, method });
    matcher.expectMatch(method, path, response);
    checked.push(`${method} ${matcher.templateOf(path)} ${response.status} ${response.headers.get('content-type')?.split(';')[0] ?? '-'}`);
    return response;
  }

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 's3' });
    api = stack.api.url;
    await stack.startWorker();
    matcher = await OpenApiMatcher.fromService(api);
    files = await startLoopbackServer((request, response) => {
      if (request.url === '/short.ogg') sendFile(response, SHORT_OGG, 'audio/ogg');
      else response.writeHead(404).end('no such file');
    });
  });

  afterAll(async () => {
    await files?.close();
    await stack?.stop();
    tmp?.remove();
  });

  it('serves an OpenAPI 3.1 document with every route, the bearer scheme, and no auth on the public routes', async () => {
    const response = await documented(api, 'GET', '/openapi.json');
    const document = response.body as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, { properties?: Record<string, unknown> }> };
      security: Record<string, unknown>[];
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/jobs', '/jobs/{id}', '/jobs/{id}/result', '/diarize', '/openapi.json', '/docs']));
    expect(Object.keys(document.paths['/jobs']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/jobs/{id}']).sort()).toEqual(['delete', 'get']);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const path of ['/health', '/openapi.json', '/docs']) expect(document.paths[path].get.security).toEqual([]);
    // the request bodies are the schemas that validate the requests (packages/jobs)
    const upload = document.paths['/jobs'].post.requestBody?.content;
    expect(upload?.['multipart/form-data'].schema.$ref).toBe('#/components/schemas/UploadJobRequest');
    expect(upload?.['application/json'].schema.$ref).toBe('#/components/schemas/UrlJobRequest');
    expect(Object.keys(document.components.schemas.UploadJobRequest.properties ?? {})).toEqual(
      expect.arrayContaining(['file', 'num_speakers', 'min_speakers', 'max_speakers', 'exclusive', 'preset', 'webhook_url']),
    );
    expect(Object.keys(document.components.schemas.UrlJobRequest.properties ?? {})).toEqual(expect.arrayContaining(['audio_url', 'num_speakers', 'webhook_url']));
  });

  it('fails responses the document does not describe (the matcher can fail)', async () => {
    const health = await call(api, '/health');
    // a real 200 body of /health is not a job
    expect(matcher.problems('GET', '/jobs/00000000-0000-4000-8000-000000000000', { ...health, status: 200 })).not.toEqual([]);
    // an undocumented status
    expect(matcher.problems('GET', '/health', { ...health, status: 418 }).join()).toMatch(/status 418 is not documented/);
    // an undocumented path and method
    expect(matcher.problems('GET', '/nowhere', health).join()).toMatch(/not in the document/);
    expect(matcher.problems('PUT', '/health', health).join()).toMatch(/not in the document/);
    // an undocumented field
    const extra = { ...health, text: JSON.stringify({ ...JSON.parse(health.text), surprise: true }) };
    expect(matcher.problems('GET', '/health', extra).join()).toMatch(/additional properties/);
  });

  it('GET /health: 200 healthy, 503 degraded (no worker on that queue)', async () => {
    await waitFor('healthy', async () => (await call(api, '/health')).status === 200);
    await documented(api, 'GET', '/health');
    const lonely = await stack.startExtraApi({ QUEUE_PREFIX: 'openapi-no-workers' });
    const degraded = await documented(lonely.url, 'GET', '/health');
    expect(degraded.status).toBe(503);
  });

  it('a job through its life: 202, GET in several states, result as JSON and RTTM, 204 DELETE, then 404', async () => {
    const submitted = await documented(api, 'POST', '/jobs', {
      token: TOKEN_A,
      headers: { 'idempotency-key': 'openapi-life' },
      body: await audioForm(SHORT_OGG, { num_speakers: '2', exclusive: 'true' }),
    });
    expect(submitted.status).toBe(202);
    const id = String(submitted.body.id);
    const early = await documented(api, 'GET', `/jobs/${id}`, { token: TOKEN_A });
    expect(['queued', 'processing', 'succeeded']).toContain(early.body.status);
    const tooEarly = await call(api, `/jobs/${id}/result`, { token: TOKEN_A });
    if (tooEarly.status === 409) matcher.expectMatch('GET', `/jobs/${id}/result`, tooEarly);

    // the replay of the same key, and the same key with another request
    const replay = await documented(api, 'POST', '/jobs', {
      token: TOKEN_A,
      headers: { 'idempotency-key': 'openapi-life' },
      body: await audioForm(SHORT_OGG, { num_speakers: '2', exclusive: 'true' }),
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await documented(api, 'POST', '/jobs', {
      token: TOKEN_A,
      headers: { 'idempotency-key': 'openapi-life' },
      body: await audioForm(SHORT_OGG, { num_speakers: '3' }),
    });
    expect(reused.status).toBe(422);

    await waitForJob(api, TOKEN_A, id);
    const done = await documented(api, 'GET', `/jobs/${id}`, { token: TOKEN_A });
    expect(done.body.status).toBe('succeeded');
    const result = await documented(api, 'GET', `/jobs/${id}/result`, { token: TOKEN_A });
    expect(result.status).toBe(200);
    const rttm = await documented(api, 'GET', `/jobs/${id}/result?format=rttm`, { token: TOKEN_A });
    expect(rttm.text).toMatch(/^SPEAKER /);
    expect((await documented(api, 'GET', `/jobs/${id}/result?format=srt2`, { token: TOKEN_A })).status).toBe(400);
    expect((await documented(api, 'DELETE', `/jobs/${id}`, { token: TOKEN_A })).status).toBe(204);
    expect((await documented(api, 'GET', `/jobs/${id}`, { token: TOKEN_A })).status).toBe(404);
    expect((await documented(api, 'GET', `/jobs/${id}/result`, { token: TOKEN_A })).status).toBe(404);
    expect((await documented(api, 'DELETE', `/jobs/${id}`, { token: TOKEN_A })).status).toBe(404);
  });

  it('a canceled job: DELETE answers 200 with it, GET shows it canceled, its result is 409', async () => {
    const long = longAudio(tmp.path, 4);
    const submitted = await documented(api, 'POST', '/jobs', { token: TOKEN_B, body: await audioForm(long) });
    const id = String(submitted.body.id);
    const canceled = await documented(api, 'DELETE', `/jobs/${id}`, { token: TOKEN_B });
    expect(canceled).toMatchObject({ status: 200, body: { status: 'canceled' } });
    expect((await documented(api, 'GET', `/jobs/${id}`, { token: TOKEN_B })).body.status).toBe('canceled');
    expect((await documented(api, 'GET', `/jobs/${id}/result`, { token: TOKEN_B })).status).toBe(409);
  });

  it('a job from a URL: 202; an unreachable URL: 422', async () => {
    const fromUrl = await documented(api, 'POST', '/jobs', {
      token: TOKEN_B,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/short.ogg`, num_speakers: 2 }),
    });
    expect(fromUrl.status).toBe(202);
    const missing = await documented(api, 'POST', '/jobs', {
      token: TOKEN_B,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/missing.ogg` }),
    });
    expect(missing.status).toBe(422);
    await documented(api, 'DELETE', `/jobs/${String(fromUrl.body.id)}`, { token: TOKEN_B });
  });

  it('error answers: 400, 401, 404, 413, 415, 422 and 503', async () => {
    expect((await documented(api, 'POST', '/jobs', { token: TOKEN_A, body: await audioForm(SHORT_OGG, { num_speakers: 'two' }) })).status).toBe(400);
    expect((await documented(api, 'POST', '/jobs', { body: await audioForm(SHORT_OGG) })).status).toBe(401);
    expect((await documented(api, 'GET', '/jobs', { token: 'not-a-token-at-all' })).status).toBe(401);
    expect((await documented(api, 'GET', '/jobs/not-a-job', { token: TOKEN_A })).status).toBe(404);
    expect((await documented(api, 'POST', '/jobs', { token: TOKEN_A, headers: { 'content-type': 'text/plain' }, body: 'hello' })).status).toBe(415);
    expect((await documented(api, 'POST', '/diarize', { token: TOKEN_A, headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(415);
    expect((await documented(api, 'POST', '/jobs', { token: TOKEN_A, body: await audioForm(fakeWav(tmp.path)) })).status).toBe(422);
    expect((await documented(api, 'POST', '/diarize', { token: TOKEN_A, body: await audioForm(fakeWav(tmp.path)) })).status).toBe(422);

    const small = await stack.startExtraApi({ MAX_UPLOAD_BYTES: '1000' });
    expect((await documented(small.url, 'POST', '/jobs', { token: TOKEN_A, body: await audioForm(SHORT_OGG) })).status).toBe(413);

    // Redis down: this API points at a port nothing listens on
    const cut = await stack.startExtraApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const unavailable = await documented(cut.url, 'GET', '/jobs', { token: TOKEN_A });
    expect(unavailable.status).toBe(503);
    expect((await documented(cut.url, 'POST', '/jobs', { token: TOKEN_A, body: await audioForm(SHORT_OGG) })).status).toBe(503);
    expect((await documented(cut.url, 'GET', '/health')).status).toBe(503);
  });

  it('409 for a second request with an Idempotency-Key whose first request is still uploading', async () => {
    const boundary = 'openapi-held-upload';
    const stop = new AbortController();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.ogg"\r\nContent-Type: audio/ogg\r\n\r\n`));
        controller.enqueue(Buffer.alloc(1000, 1));
        await held;
        controller.error(new Error('test over'));
      },
    });
    const first = fetch(`${api}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN_A}`, 'idempotency-key': 'openapi-held', 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
      signal: stop.signal,
    } as RequestInit).catch(() => undefined);
    try {
      const keyHash = createHash('sha256').update('openapi-held').digest('hex');
      const pendingKey = new RedisKeys(stack.env.QUEUE_PREFIX).idempotency(hashToken(TOKEN_A), keyHash);
      await waitFor('the first request to claim the key', async () => (await stack.api.services.redis.exists(pendingKey)) === 1);
      const second = await documented(api, 'POST', '/jobs', { token: TOKEN_A, headers: { 'idempotency-key': 'openapi-held' }, body: await audioForm(SHORT_OGG) });
      expect(second.status).toBe(409);
      expect(second.headers.get('retry-after')).not.toBeNull();
    } finally {
      release();
      stop.abort();
      await first;
    }
  });

  it('POST /diarize: 200 with the diarization, 202 when it takes longer than SYNC_TIMEOUT_SECONDS', async () => {
    const diarized = await documented(api, 'POST', '/diarize', { token: TOKEN_A, body: await audioForm(SHORT_OGG, { num_speakers: '2' }) });
    expect(diarized.status).toBe(200);
    const quick = await stack.startExtraApi({ SYNC_TIMEOUT_SECONDS: '0.05' });
    const accepted = await documented(quick.url, 'POST', '/diarize', { token: TOKEN_A, body: await audioForm(SHORT_OGG) });
    expect(accepted.status).toBe(202);
    await waitForJob(api, TOKEN_A, String(accepted.body.id));
  });

  it('GET /jobs: a page, the next page, and a bad query', async () => {
    const first = await documented(api, 'GET', '/jobs?limit=1', { token: TOKEN_A });
    expect(first.status).toBe(200);
    expect(typeof first.body.next_cursor).toBe('string');
    const next = (first.body.links as { next: string }).next;
    expect((await documented(api, 'GET', next, { token: TOKEN_A })).status).toBe(200);
    expect((await documented(api, 'GET', '/jobs?status=succeeded', { token: TOKEN_A })).status).toBe(200);
    expect((await documented(api, 'GET', '/jobs?limit=101', { token: TOKEN_A })).status).toBe(400);
    expect((await documented(api, 'GET', '/jobs?cursor=nonsense', { token: TOKEN_A })).status).toBe(400);
  });

  it('/docs works offline: the page and every file it loads are served by the service itself', async () => {
    const page = await documented(api, 'GET', '/docs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const references = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(references.length).toBeGreaterThanOrEqual(3);
    const expectedTypes: Record<string, RegExp> = { '.js': /^text\/javascript/, '.css': /^text\/css/, '.png': /^image\/png$/ };
    for (const reference of references) {
      // nothing from elsewhere: every reference is a path on this service
      expect(reference).toMatch(/^\/docs\/assets\/[\w.-]+$/);
      const asset = await fetch(`${api}${reference}`);
      await asset.arrayBuffer();
      expect({ reference, status: asset.status }).toEqual({ reference, status: 200 });
      const extension = reference.slice(reference.lastIndexOf('.'));
      expect(asset.headers.get('content-type')).toMatch(expectedTypes[extension]);
    }
    const init = await (await fetch(`${api}/docs/assets/init.js`)).text();
    expect(init).toContain("url: '/openapi.json'");
    expect((await documented(api, 'GET', '/docs/assets/package.json')).status).toBe(404);
    expect((await documented(api, 'GET', '/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('covered every route of the document', () => {
    const routes = new Set(checked.map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    for (const route of ['GET /health', 'GET /openapi.json', 'GET /docs', 'POST /jobs', 'GET /jobs', 'GET /jobs/{id}', 'GET /jobs/{id}/result', 'DELETE /jobs/{id}', 'POST /diarize']) {
      expect(routes).toContain(route);
    }
  });
});
