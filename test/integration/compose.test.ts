import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/processes';
import { makeTempDir } from '../support/temp-dir';

const COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((path) => existsSync(path));

/** `docker-compose config` as `docker compose up` would read the file after `cp .env.example .env`. */
function composeConfig(): string {
  const dir = makeTempDir('compose-');
  try {
    copyFileSync(join(REPO_ROOT, 'docker-compose.yml'), join(dir.path, 'docker-compose.yml'));
    copyFileSync(join(REPO_ROOT, '.env.example'), join(dir.path, '.env'));
    return execFileSync(COMPOSE!, ['config'], { cwd: dir.path, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    dir.remove();
  }
}

/** The block of one service in the rendered config. */
function serviceBlock(config: string, name: string): string {
  const match = new RegExp(`\\n  ${name}:\\n((?:    .*\\n|\\n)*)`).exec(config);
  if (match === null) throw new Error(`no service ${name}`);
  return match[1];
}

(COMPOSE ? describe : describe.skip)('docker-compose.yml (validated with docker-compose config)', () => {
  let config: string;
  beforeAll(() => {
    config = composeConfig();
  });

  it('defines every service', () => {
    for (const name of ['redis', 'minio', 'minio-setup', 'models', 'api', 'worker', 'worker-gpu']) {
      expect(() => serviceBlock(config, name)).not.toThrow();
    }
  });

  it('runs Redis with AOF and noeviction', () => {
    const redis = serviceBlock(config, 'redis');
    expect(redis).toMatch(/- --appendonly\n\s+- "?yes"?\n/);
    expect(redis).toMatch(/- --maxmemory-policy\n\s+- noeviction\n/);
  });

  it('points the API and the workers at the compose Redis, MinIO and models volume', () => {
    for (const name of ['api', 'worker', 'worker-gpu']) {
      const block = serviceBlock(config, name);
      expect(block).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
      expect(block).toMatch(/S3_ENDPOINT: http:\/\/minio:9000/);
      expect(block).toMatch(/MODELS_DIR: \/models/);
    }
    expect(serviceBlock(config, 'worker')).toMatch(/condition: service_completed_successfully/);
  });

  it('builds the GPU worker from Dockerfile.gpu in the gpu profile only', () => {
    const gpu = serviceBlock(config, 'worker-gpu');
    expect(gpu).toMatch(/dockerfile: Dockerfile\.gpu/);
    expect(gpu).toMatch(/profiles:\n\s+- gpu/);
    expect(gpu).toMatch(/EXECUTION_PROVIDER: cuda/);
    expect(serviceBlock(config, 'worker')).not.toMatch(/profiles:/);
  });
});
