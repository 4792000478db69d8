import { ConfigError, loadConfig } from './index';

/** A token the configuration accepts (16 characters or more). */
const TOKEN = 'test-token-0123456789';

function problemsOf(env: Record<string, string>, role: 'api' | 'worker' | 'all' = 'api'): string[] {
  try {
    loadConfig(env, role, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults (port 5000, 100 MB uploads, local storage under ./data)', () => {
    const config = loadConfig({ DIARIZATION_TOKEN: TOKEN }, 'api', '/srv');
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.maxUploadBytes).toBe(100 * 1024 * 1024);
    expect(config.syncTimeoutMs).toBe(270_000);
    expect(config.storage).toEqual({ kind: 'local', dir: '/srv/data' });
    expect(config.tokens).toEqual([TOKEN]);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.worker.executionProvider).toBe('cpu');
  });

  it('limits slow clients and sweeps orphans by default (headers 60 s, idle 60 s, whole request 1 h; grace 1 h, every 15 min)', () => {
    const config = loadConfig({ DIARIZATION_TOKEN: TOKEN });
    expect(config.requestLimits).toEqual({ headersTimeoutMs: 60_000, idleTimeoutMs: 60_000, requestTimeoutMs: 3_600_000 });
    expect(config.retention).toMatchObject({ orphanGraceMs: 3_600_000, orphanSweepIntervalMs: 900_000 });
    const short = loadConfig({
      DIARIZATION_TOKEN: TOKEN,
      REQUEST_HEADERS_TIMEOUT_SECONDS: '0.5',
      REQUEST_IDLE_TIMEOUT_SECONDS: '1',
      REQUEST_TIMEOUT_SECONDS: '3',
      ORPHAN_GRACE_SECONDS: '2',
      ORPHAN_SWEEP_INTERVAL_SECONDS: '0',
    });
    expect(short.requestLimits).toEqual({ headersTimeoutMs: 500, idleTimeoutMs: 1000, requestTimeoutMs: 3000 });
    expect(short.retention).toMatchObject({ orphanGraceMs: 2000, orphanSweepIntervalMs: 0 });
  });

  it('refuses request limits and an orphan grace that contradict each other', () => {
    expect(problemsOf({ DIARIZATION_TOKEN: TOKEN, REQUEST_IDLE_TIMEOUT_SECONDS: '0', REQUEST_TIMEOUT_SECONDS: 'forever' })).toEqual([
      'REQUEST_IDLE_TIMEOUT_SECONDS: must be greater than 0 (got "0")',
      'REQUEST_TIMEOUT_SECONDS: must be a positive number (got "forever")',
    ]);
    expect(problemsOf({ DIARIZATION_TOKEN: TOKEN, REQUEST_HEADERS_TIMEOUT_SECONDS: '120', REQUEST_TIMEOUT_SECONDS: '60', REQUEST_IDLE_TIMEOUT_SECONDS: '30' })).toEqual([
      'REQUEST_HEADERS_TIMEOUT_SECONDS: must not be larger than REQUEST_TIMEOUT_SECONDS',
    ]);
    // A paused upload must not look abandoned to the orphan sweep.
    expect(problemsOf({ DIARIZATION_TOKEN: TOKEN, ORPHAN_GRACE_SECONDS: '60' })).toEqual(['ORPHAN_GRACE_SECONDS: must be larger than REQUEST_IDLE_TIMEOUT_SECONDS']);
    expect(problemsOf({ DIARIZATION_TOKEN: TOKEN, ORPHAN_SWEEP_INTERVAL_SECONDS: '-1' })).toEqual([
      'ORPHAN_SWEEP_INTERVAL_SECONDS: must be a number of seconds (0 turns the orphan sweep off) (got "-1")',
    ]);
  });

  it('splits a comma-separated token list and ignores blanks', () => {
    expect(loadConfig({ DIARIZATION_TOKEN: ` ${TOKEN} , ${TOKEN}-2,, ` }, 'api').tokens).toEqual([TOKEN, `${TOKEN}-2`]);
  });

  it("refuses .env.example's placeholder token and short tokens, saying how to make one", () => {
    expect(problemsOf({ DIARIZATION_TOKEN: 'change-me-to-a-long-random-token' }, 'api')).toEqual([
      'DIARIZATION_TOKEN: is still the placeholder of .env.example: set a random token (generate one with: openssl rand -hex 32)',
    ]);
    expect(problemsOf({ DIARIZATION_TOKEN: `${TOKEN},short` }, 'api')).toEqual([
      'DIARIZATION_TOKEN: tokens must be at least 16 characters (generate one with: openssl rand -hex 32)',
    ]);
  });

  it('refuses tokens a client cannot send as a Bearer token (RFC 6750 token68)', () => {
    expect(problemsOf({ DIARIZATION_TOKEN: 'tok\u00e9n-with-accent-0123' }, 'api')).toEqual([
      'DIARIZATION_TOKEN: tokens may only hold letters, digits and . _ ~ + / - (then = padding) (generate one with: openssl rand -hex 32)',
    ]);
    expect(loadConfig({ DIARIZATION_TOKEN: 'abc.DEF_ghi~jkl+mno/pq-rs==' }, 'api').tokens).toEqual(['abc.DEF_ghi~jkl+mno/pq-rs==']);
  });

  it('uses S3 when S3_ENDPOINT is set', () => {
    const config = loadConfig({
      DIARIZATION_TOKEN: TOKEN,
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'audio-jobs',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(config.storage).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'audio-jobs',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: false,
    });
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ DIARIZATION_TOKEN: TOKEN, DIARIZATION_PORT: '', S3_ENDPOINT: '' });
    expect(config.port).toBe(5000);
    expect(config.storage.kind).toBe('local');
  });

  it('names every bad variable in one error, without echoing secrets', () => {
    const problems = problemsOf({
      DIARIZATION_PORT: 'eighty',
      REDIS_URL: 'localhost:6379',
      MAX_UPLOAD_BYTES: '-5',
      EXECUTION_PROVIDER: 'tpu',
      ALLOW_PRIVATE_URLS: 'maybe',
      WEBHOOK_SECRET: 'not-a-secret',
    });
    const variables = problems.map((problem) => problem.split(':')[0]);
    expect(variables).toEqual(
      expect.arrayContaining([
        'DIARIZATION_PORT',
        'REDIS_URL',
        'MAX_UPLOAD_BYTES',
        'EXECUTION_PROVIDER',
        'ALLOW_PRIVATE_URLS',
        'WEBHOOK_SECRET',
        'DIARIZATION_TOKEN',
      ]),
    );
    expect(problems.find((p) => p.startsWith('DIARIZATION_PORT'))).toContain('"eighty"');
    expect(problems.join('\n')).not.toContain('not-a-secret');
  });

  it('requires a token for the API but not for a worker', () => {
    expect(problemsOf({}, 'api')).toEqual([expect.stringMatching(/^DIARIZATION_TOKEN: required/)]);
    expect(loadConfig({}, 'worker').tokens).toEqual([]);
  });

  it('requires both S3 keys or neither', () => {
    expect(problemsOf({ DIARIZATION_TOKEN: TOKEN, S3_ENDPOINT: 'http://s3:9000', S3_ACCESS_KEY_ID: 'k' })).toEqual([
      expect.stringMatching(/^S3_SECRET_ACCESS_KEY: required/),
    ]);
  });

  it('accepts a Standard Webhooks secret', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(loadConfig({ DIARIZATION_TOKEN: TOKEN, WEBHOOK_SECRET: secret }).webhooks.secret).toBe(secret);
  });

  it('formats the message as one block, one line per variable', () => {
    try {
      loadConfig({ DIARIZATION_TOKEN: TOKEN, WORKER_CONCURRENCY: '0', JOB_TTL_SECONDS: 'soon' }, 'all');
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'Invalid configuration:\n' +
          '  - JOB_TTL_SECONDS: must be a whole number (got "soon")\n' +
          '  - WORKER_CONCURRENCY: must be between 1 and 64 (got "0")',
      );
    }
  });
});
