import { ConfigError, loadConfig } from './index';

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
    const config = loadConfig({ DIARIZATION_TOKEN: 'secret-token' }, 'api', '/srv');
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.maxUploadBytes).toBe(100 * 1024 * 1024);
    expect(config.syncTimeoutMs).toBe(270_000);
    expect(config.storage).toEqual({ kind: 'local', dir: '/srv/data' });
    expect(config.tokens).toEqual(['secret-token']);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.worker.executionProvider).toBe('cpu');
  });

  it('splits a comma-separated token list and ignores blanks', () => {
    expect(loadConfig({ DIARIZATION_TOKEN: ' a1 , b2,, ' }, 'api').tokens).toEqual(['a1', 'b2']);
  });

  it('uses S3 when S3_ENDPOINT is set', () => {
    const config = loadConfig({
      DIARIZATION_TOKEN: 't',
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
    const config = loadConfig({ DIARIZATION_TOKEN: 't', DIARIZATION_PORT: '', S3_ENDPOINT: '' });
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
    expect(problemsOf({ DIARIZATION_TOKEN: 't', S3_ENDPOINT: 'http://s3:9000', S3_ACCESS_KEY_ID: 'k' })).toEqual([
      expect.stringMatching(/^S3_SECRET_ACCESS_KEY: required/),
    ]);
  });

  it('accepts a Standard Webhooks secret', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(loadConfig({ DIARIZATION_TOKEN: 't', WEBHOOK_SECRET: secret }).webhooks.secret).toBe(secret);
  });

  it('formats the message as one block, one line per variable', () => {
    try {
      loadConfig({ DIARIZATION_TOKEN: 't', WORKER_CONCURRENCY: '0', JOB_TTL_SECONDS: 'soon' }, 'all');
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
