import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installModels } from './install';
import { checkModel, describeProblem } from './status';
import { parseManifest, Manifest, loadManifest } from './manifest';

const payload = Buffer.from('pretend these are model weights');
const digest = createHash('sha256').update(payload).digest('hex');

function manifestWith(urls: string[], sha256 = digest): Manifest {
  return parseManifest({
    version: 1,
    models: [
      {
        id: 'tiny-plda',
        role: 'plda',
        file: 'tiny.npz',
        bytes: payload.length,
        sha256,
        license: 'test',
        description: 'a test file',
        urls,
      },
    ],
  });
}

describe('model installer', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'models-test-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('installs from a nested local folder and verifies the checksum', async () => {
    const source = join(work, 'source', 'nested');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'tiny.npz'), payload);
    const target = join(work, 'installed');
    const outcomes = await installModels(manifestWith([]), { modelsDir: target, fromDir: join(work, 'source') });
    expect(outcomes.map((o) => o.result)).toEqual(['installed']);
    expect(readFileSync(join(target, 'tiny.npz'))).toEqual(payload);
    const again = await installModels(manifestWith([]), { modelsDir: target, fromDir: join(work, 'source') });
    expect(again.map((o) => o.result)).toEqual(['already-installed']);
  });

  it('refuses a file whose sha256 does not match and leaves nothing behind', async () => {
    writeFileSync(join(work, 'tiny.npz'), payload);
    const target = join(work, 'installed');
    const outcomes = await installModels(manifestWith([], 'a'.repeat(64)), { modelsDir: target, fromDir: work });
    expect(outcomes[0].result).toBe('failed');
    expect('reason' in outcomes[0] && outcomes[0].reason).toMatch(/sha256 .* does not match/);
    expect(existsSync(join(target, 'tiny.npz'))).toBe(false);
    expect(existsSync(join(target, 'tiny.npz.part'))).toBe(false);
  });

  describe('downloads', () => {
    let server: Server;
    let base: string;
    const requests: Array<string | undefined> = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        requests.push(request.headers.authorization);
        if (request.url === '/good') response.end(payload);
        else if (request.url === '/truncated') response.end(payload.subarray(0, 5));
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('falls back to the next URL and verifies what it downloaded', async () => {
      const manifest = manifestWith([`${base}/missing`, `${base}/truncated`, `${base}/good`]);
      const outcomes = await installModels(manifest, { modelsDir: join(work, 'm') });
      expect(outcomes[0]).toMatchObject({ result: 'installed', from: `${base}/good` });
      expect(readFileSync(join(work, 'm', 'tiny.npz'))).toEqual(payload);
    });

    it('reports every failed URL when none works', async () => {
      const outcomes = await installModels(manifestWith([`${base}/missing`, `${base}/truncated`]), {
        modelsDir: join(work, 'm'),
      });
      expect(outcomes[0].result).toBe('failed');
      const reason = 'reason' in outcomes[0] ? outcomes[0].reason : '';
      expect(reason).toContain('HTTP 404');
      expect(reason).toContain(`got 5 bytes, expected ${payload.length}`);
    });

    it('only sends the Hugging Face token to huggingface.co', async () => {
      requests.length = 0;
      await installModels(manifestWith([`${base}/good`]), { modelsDir: join(work, 'm'), huggingFaceToken: 'secret' });
      expect(requests).toEqual([undefined]);
    });
  });

  it('says which model is missing or corrupt and how to fix it', async () => {
    const [model] = manifestWith([]).models;
    const missing = await checkModel(model, work);
    expect(missing.state).toBe('missing');
    expect(describeProblem(missing)).toMatch(/model "tiny-plda" .* is not installed: run npm run models/);
    writeFileSync(join(work, 'tiny.npz'), Buffer.alloc(payload.length));
    const corrupt = await checkModel(model, work);
    expect(corrupt.state).toBe('corrupt');
    expect(describeProblem(corrupt)).toMatch(/is corrupt \(sha256/);
  });
});

describe('manifest', () => {
  it('is valid, and every model has a license, a checksum and a source', () => {
    const manifest = loadManifest();
    expect(manifest.models.length).toBeGreaterThan(5);
    for (const model of manifest.models) {
      expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(model.license.length).toBeGreaterThan(2);
    }
    const roles = new Set(manifest.models.map((m) => m.role));
    expect([...roles].sort()).toEqual(['embedding', 'plda', 'segmentation']);
  });

  it('rejects duplicate ids and dangling PLDA references with a message naming them', () => {
    const base = loadManifest();
    const duplicate = { ...base, models: [...base.models, base.models[0]] };
    expect(() => parseManifest(duplicate)).toThrow(/duplicate model id segmentation-3.0/);
    const dangling = {
      ...base,
      models: base.models.map((m) =>
        m.role === 'embedding' && m.plda ? { ...m, plda: { transform: 'nope', plda: m.plda.plda } } : m,
      ),
    };
    expect(() => parseManifest(dangling)).toThrow(/unknown PLDA entry nope/);
  });
});
