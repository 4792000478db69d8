import type { LogFields, Logger } from '@diarization/config';
import { startApi, type RunningApi } from '../../apps/api/src/server';
import { SAMPLE_WAV } from '../support/audio';
import { audioForm, call } from '../support/http';
import { freePort } from '../support/ports';
import { configFrom, startStack, TOKEN_A, type Stack } from '../support/stack';

const APP_ORIGIN = 'https://app.example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A logger that keeps its lines, to see what the API logs for a request. */
function keptLogger(lines: { message: string; fields: LogFields }[]): Logger {
  const log = (message: string, fields: LogFields = {}): void => {
    lines.push({ message, fields });
  };
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

/** CORS, X-Request-Id and bearer auth: Hono's middleware, configured by the service (Redis and S3 real, no worker needed). */
describe('HTTP middleware: CORS, request ids, bearer auth', () => {
  let stack: Stack;
  let api: string;

  beforeAll(async () => {
    stack = await startStack({ storage: 's3', env: { CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.com:8443` } });
    api = stack.api.url;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('CORS (CORS_ORIGINS)', () => {
    const preflight = (baseUrl: string, origin: string) =>
      fetch(`${baseUrl}/jobs`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });

    it('answers a preflight from an allowed origin with 204 and the CORS headers, without a token', async () => {
      for (const origin of [APP_ORIGIN, 'https://admin.example.com:8443']) {
        const response = await preflight(api, origin);
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'DELETE']));
        expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
          expect.arrayContaining(['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id']),
        );
        expect(response.headers.get('vary')).toMatch(/Origin/);
        expect(response.headers.get('www-authenticate')).toBeNull();
      }
    });

    it('gives a preflight from another origin no CORS permission (the browser then refuses the call)', async () => {
      for (const origin of ['https://evil.example.com', 'http://app.example.com', `${APP_ORIGIN}.evil.example`]) {
        const response = await preflight(api, origin);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('marks actual answers from an allowed origin, errors included, and exposes our headers', async () => {
      const listed = await call(api, '/jobs', { token: TOKEN_A, headers: { origin: APP_ORIGIN } });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(listed.headers.get('access-control-expose-headers')?.split(',')).toEqual(
        expect.arrayContaining(['Location', 'X-Request-Id', 'Idempotent-Replayed', 'Retry-After']),
      );
      // a browser can read why it was refused
      const refused = await call(api, '/jobs', { headers: { origin: APP_ORIGIN } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      const other = await call(api, '/jobs', { token: TOKEN_A, headers: { origin: 'https://evil.example.com' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('is off when CORS_ORIGINS is empty: no CORS headers, and a preflight needs a token like any request', async () => {
      const off = await stack.startExtraApi({ CORS_ORIGINS: '' });
      const response = await preflight(off.url, APP_ORIGIN);
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const listed = await call(off.url, '/jobs', { token: TOKEN_A, headers: { origin: APP_ORIGIN } });
      expect(listed.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows any origin with *', async () => {
      const open = await stack.startExtraApi({ CORS_ORIGINS: '*' });
      const response = await preflight(open.url, 'https://anywhere.example.org');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('refuses CORS_ORIGINS entries that are not origins, naming the variable', () => {
      for (const value of ['https://app.example.com/', 'https://app.example.com/path', 'app.example.com', 'ftp://files.example.com']) {
        expect(() => configFrom({ ...stack.env, CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS: must be origins such as https:\/\/app\.example\.com/);
      }
      expect(configFrom({ ...stack.env, CORS_ORIGINS: ' https://a.example.com ,http://localhost:5173,' }).corsOrigins).toEqual([
        'https://a.example.com',
        'http://localhost:5173',
      ]);
    });
  });

  describe('X-Request-Id', () => {
    it('is on every answer: 200, 400, 401, 404 and 503', async () => {
      const answers = [
        await call(api, '/openapi.json'),
        await call(api, '/jobs?limit=0', { token: TOKEN_A }),
        await call(api, '/jobs'),
        await call(api, '/nowhere'),
        await call(api, '/jobs/00000000-0000-4000-8000-000000000000', { token: TOKEN_A }),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 400, 401, 404, 404]);
      const ids = answers.map((answer) => answer.headers.get('x-request-id'));
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
      // Redis down: 503 from the error handler
      const cut = await stack.startExtraApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
      const unavailable = await call(cut.url, '/jobs', { token: TOKEN_A });
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('x-request-id')).toMatch(UUID);
    });

    it("honours the caller's id when it is sane, replaces it otherwise, and logs it with the request", async () => {
      const lines: { message: string; fields: LogFields }[] = [];
      let logged: RunningApi | undefined;
      try {
        logged = await startApi(configFrom(stack.env), keptLogger(lines));
        const sane = await call(logged.url, '/jobs/not-a-job', { token: TOKEN_A, headers: { 'x-request-id': 'client-42_retry=1' } });
        expect(sane.status).toBe(404);
        expect(sane.headers.get('x-request-id')).toBe('client-42_retry=1');
        const line = lines.find((entry) => entry.message === 'request' && entry.fields.request_id === 'client-42_retry=1');
        expect(line?.fields).toMatchObject({ method: 'GET', path: '/jobs/not-a-job', status: 404 });

        // lines written deep inside a request's handling carry its id too, not only the access line
        const queued = await call(logged.url, '/jobs', { method: 'POST', token: TOKEN_A, headers: { 'x-request-id': 'upload-7' }, body: await audioForm(SAMPLE_WAV) });
        expect(queued.status).toBe(202);
        expect(lines.find((entry) => entry.message === 'job queued')?.fields).toMatchObject({ request_id: 'upload-7', job_id: queued.body.id });

        for (const insane of ['has spaces in it', 'x'.repeat(65), 'quote"d', 'new\u00e9']) {
          const replaced = await call(logged.url, '/health', { headers: { 'x-request-id': insane } });
          expect(replaced.headers.get('x-request-id')).toMatch(UUID);
        }
      } finally {
        await logged?.close();
      }
    });
  });

  describe('bearer auth (hono/bearer-auth)', () => {
    it('keeps our messages and challenge for a missing, malformed or wrong token', async () => {
      const missingMessage = 'missing bearer token: send the header "Authorization: Bearer <token>"';
      const cases: [Record<string, string>, string][] = [
        [{}, missingMessage],
        [{ authorization: 'Basic dXNlcjpwYXNz' }, missingMessage],
        [{ authorization: 'Bearer' }, missingMessage],
        [{ authorization: `Bearer ${TOKEN_A}x` }, 'invalid bearer token'],
        [{ authorization: 'Bearer some-other-token-entirely' }, 'invalid bearer token'],
      ];
      for (const [headers, message] of cases) {
        const response = await call(api, '/jobs', { headers });
        expect({ headers, status: response.status, body: response.body }).toEqual({ headers, status: 401, body: { error: message } });
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="diarization"');
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      }
      expect((await call(api, '/jobs', { headers: { authorization: `bearer   ${TOKEN_A}` } })).status).toBe(200);
    });

    it('needs no token for /health, /openapi.json and /docs', async () => {
      for (const path of ['/openapi.json', '/docs', '/docs/assets/swagger-ui.css']) {
        expect({ path, status: (await call(api, path)).status }).toEqual({ path, status: 200 });
      }
      expect((await call(api, '/health')).status).not.toBe(401);
    });
  });
});
