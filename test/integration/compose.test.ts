import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
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

/** The names of the services in the rendered config. */
function serviceNames(config: string): string[] {
  const services = /\nservices:\n((?: {2}.*\n|\n)*)/.exec(`\n${config}`);
  if (services === null) throw new Error('no services');
  return [...services[1].matchAll(/^ {2}([\w-]+):$/gm)].map((match) => match[1]);
}

/** The image of a service block (every service here names one). */
function imageOf(block: string): string {
  const match = /^    image: (\S+)$/m.exec(block);
  if (match === null) throw new Error(`no image in:\n${block}`);
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

  it('builds the CPU image once, in the models service, and runs that same image for api and worker', () => {
    const services = serviceNames(config);
    const defaultProfile = services.filter((name) => !/\n    profiles:/.test(`\n${serviceBlock(config, name)}`));
    const building = defaultProfile.filter((name) => /^    build:/m.test(serviceBlock(config, name)));
    expect(building).toEqual(['models']);
    const models = serviceBlock(config, 'models');
    expect(models).toMatch(/^    pull_policy: build$/m);
    const image = imageOf(models);
    for (const name of ['api', 'worker']) {
      const block = serviceBlock(config, name);
      expect(imageOf(block)).toBe(image);
      // Never pulled from a registry: the models service builds it (compose builds before it creates containers).
      expect(block).toMatch(/^    pull_policy: never$/m);
      expect(block).toMatch(/^      models:\n        condition: service_(started|completed_successfully)$/m);
    }
    // No two services build the same image (the GPU worker builds its own, from Dockerfile.gpu).
    const builtImages = services.filter((name) => /^    build:/m.test(serviceBlock(config, name))).map((name) => imageOf(serviceBlock(config, name)));
    expect(new Set(builtImages).size).toBe(builtImages.length);
  });

  it('pins every image to a tag other than latest, MinIO to its release tags', () => {
    for (const name of serviceNames(config)) {
      const image = imageOf(serviceBlock(config, name));
      expect(image).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
    expect(imageOf(serviceBlock(config, 'minio'))).toMatch(/^minio\/minio:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
    expect(imageOf(serviceBlock(config, 'minio-setup'))).toMatch(/^minio\/mc:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
  });

  it('installs the models from ./models-offline when MODELS_FROM is set', () => {
    const models = serviceBlock(config, 'models');
    expect(models).toMatch(/--from "\$\$MODELS_FROM"/);
    expect(models).toMatch(/models-offline:\/offline:ro/);
    // Mounted, never copied: the model files stay out of the build context and the image.
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toContain('models-offline');
  });
});
