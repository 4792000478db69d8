import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_MODELS } from '../../test/shared-paths';
import { installModels, type InstallOutcome } from './install';
import { checkModel, describeProblem, INSTALL_HINT, installHint } from './status';
import { defaultModelsDir, findModel, parseManifest, Manifest, loadManifest } from './manifest';

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

  it('derives the trunk and head of a WeSpeaker-format model it installs, once', async () => {
    const manifest = loadManifest();
    const target = join(work, 'installed');
    const options = { modelsDir: target, fromDir: SHARED_MODELS, only: ['wespeaker-resnet34-random'] };
    const [outcome] = await installModels(manifest, options);
    expect(outcome.result).toBe('installed');
    expect('derived' in outcome && outcome.derived).toBe('wespeaker-resnet34-arch.random-weights.trunk.onnx, wespeaker-resnet34-arch.random-weights.head.onnx');
    const record = JSON.parse(readFileSync(join(target, 'derived.json'), 'utf8'));
    expect(record['wespeaker-resnet34-arch.random-weights.onnx'].sourceSha256).toBe(manifest.models.find((m) => m.id === 'wespeaker-resnet34-random')!.sha256);
    // rebuilt when a part goes missing, left alone otherwise
    const [again] = await installModels(manifest, options);
    expect((again as { derived?: string }).derived).toBeUndefined();
    rmSync(join(target, 'wespeaker-resnet34-arch.random-weights.head.onnx'));
    const [repaired] = await installModels(manifest, options);
    expect('derived' in repaired && repaired.derived).toMatch(/head\.onnx/);
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
    const [model] = manifestWith([`https://example.org/tiny.npz`]).models;
    const missing = await checkModel(model, work);
    expect(missing.state).toBe('missing');
    expect(describeProblem(missing)).toBe(`model "tiny-plda" (${join(work, 'tiny.npz')}) is not installed: run ${INSTALL_HINT}`);
    writeFileSync(join(work, 'tiny.npz'), Buffer.alloc(payload.length));
    const corrupt = await checkModel(model, work);
    expect(corrupt.state).toBe('corrupt');
    expect(describeProblem(corrupt)).toMatch(/is corrupt \(sha256 [0-9a-f]{64} does not match the manifest\): run npm run models \(or: npm run models -- --from DIR\)$/);
  });

  it('only tells a person to run plain npm run models when that can install the model', async () => {
    const [model] = manifestWith([]).models;
    const missing = await checkModel(model, work);
    expect(describeProblem(missing)).toBe(
      `model "tiny-plda" (${join(work, 'tiny.npz')}) is not installed: run npm run models -- --from DIR, with DIR a folder that holds tiny.npz (it has no download URL)`,
    );
  });
});

describe('installHint', () => {
  const manifest = loadManifest();
  const hint = (id: string, withManifest = true) => installHint(findModel(manifest, id)!, withManifest ? manifest : undefined);
  const withEntries = (...models: Array<Record<string, unknown>>) =>
    parseManifest({ version: 1, models: models.map((m) => ({ role: 'plda', bytes: 1, sha256: digest, license: 'test', description: 'test', ...m })) });

  it('offers plain npm run models for what it downloads or derives from a download', () => {
    expect(hint('segmentation-3.0-fp16')).toBe(INSTALL_HINT);
    expect(hint('segmentation-3.0')).toBe(INSTALL_HINT); // derived from the fp16 download
    expect(hint('segmentation-3.0', false)).toBe(INSTALL_HINT);
    expect(hint('wespeaker-resnet34-lm')).toBe(INSTALL_HINT);
    expect(hint('openvoice-refenc')).toBe(INSTALL_HINT);
  });

  it('says that a gated download needs HF_TOKEN and where to accept the conditions', () => {
    for (const id of ['community-1-plda', 'community-1-xvec-transform']) {
      expect(hint(id)).toBe(
        'npm run models with HF_TOKEN set to a Hugging Face token of an account that accepted the conditions of ' +
          'https://huggingface.co/pyannote/speaker-diarization-community-1 (or: npm run models -- --from DIR)',
      );
    }
  });

  it('offers only --from DIR for a model without any download, naming the file', () => {
    expect(hint('wespeaker-resnet34-random')).toBe(
      'npm run models -- --from DIR, with DIR a folder that holds wespeaker-resnet34-arch.random-weights.onnx (it has no download URL)',
    );
    const local = withEntries(
      { id: 'source', file: 'source.onnx', urls: [] },
      { id: 'derived', file: 'derived.onnx', urls: [], derivedFrom: { model: 'source', transform: 'widen-fp16' } },
    );
    expect(installHint(local.models[1], local)).toBe(
      'npm run models -- --from DIR, with DIR a folder that holds derived.onnx or source.onnx (neither has a download URL)',
    );
  });

  it('names --only for a downloadable benchmark-only model, which a plain run skips', () => {
    const local = withEntries({ id: 'bench', file: 'bench.onnx', urls: ['https://example.org/bench.onnx'], benchmarkOnly: true });
    expect(installHint(local.models[0], local)).toBe('npm run models -- --only bench (or: npm run models -- --from DIR)');
  });
});

describe('defaultModelsDir', () => {
  it('takes an empty MODELS_DIR (as .env.example has it) for unset', () => {
    expect(defaultModelsDir({ MODELS_DIR: '' })).toBe(defaultModelsDir({}));
    expect(defaultModelsDir({ MODELS_DIR: '  ' })).toBe(defaultModelsDir({}));
    expect(defaultModelsDir({ MODELS_DIR: '/srv/models' })).toBe('/srv/models');
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

describe('manifest derivations and gated entries', () => {
  const base = loadManifest();
  const edit = (id: string, change: Record<string, unknown>) => ({
    ...base,
    models: base.models.map((m) => (m.id === id ? { ...m, ...change } : m)),
  });

  it('derives segmentation-3.0 from segmentation-3.0-fp16 and marks the community-1 files as gated', () => {
    expect(findModel(base, 'segmentation-3.0')).toMatchObject({ urls: [], derivedFrom: { model: 'segmentation-3.0-fp16', transform: 'widen-fp16' } });
    expect(base.models.filter((m) => m.gated).map((m) => m.id).sort()).toEqual(['community-1-plda', 'community-1-xvec-transform']);
    // every model the default needs has a download URL or is derived from one that has
    for (const model of base.models.filter((m) => !m.benchmarkOnly)) {
      const source = model.derivedFrom ? findModel(base, model.derivedFrom.model) : model;
      expect([model.id, (source?.urls.length ?? 0) > 0]).toEqual([model.id, true]);
    }
  });

  it('rejects a derivation from an unknown or derived entry, an unknown transform and a gated entry without URL', () => {
    expect(() => parseManifest(edit('segmentation-3.0', { derivedFrom: { model: 'nope', transform: 'widen-fp16' } }))).toThrow(
      /segmentation-3.0 is derived from unknown model nope/,
    );
    expect(() => parseManifest(edit('segmentation-3.0', { derivedFrom: { model: 'segmentation-3.0', transform: 'widen-fp16' } }))).toThrow(
      /segmentation-3.0 is derived from itself/,
    );
    const chained = edit('segmentation-3.0-fp16', { derivedFrom: { model: 'segmentation-3.0-sherpa-int8', transform: 'widen-fp16' } });
    expect(() => parseManifest(chained)).toThrow(/segmentation-3.0 is derived from segmentation-3.0-fp16, which is itself derived/);
    expect(() => parseManifest(edit('segmentation-3.0', { derivedFrom: { model: 'segmentation-3.0-fp16', transform: 'magic' } }))).toThrow(
      /models.0.derivedFrom.transform/,
    );
    expect(() => parseManifest(edit('wespeaker-resnet34-random', { gated: true }))).toThrow(/wespeaker-resnet34-random is gated but has no download URL/);
  });
});

describe('installing on a fresh machine (downloads from a local server standing in for the internet)', () => {
  let server: Server;
  let local: string;
  let work: string;
  const requests: Array<{ path: string; authorization?: string }> = [];
  /** The copy in ../shared/models (if any) of the file each manifest URL serves, by /HOST/PATH. */
  const served = new Map<string, string>();
  for (const model of loadManifest().models) {
    for (const url of model.urls) {
      const { hostname, pathname } = new URL(url);
      const copy = join(SHARED_MODELS, model.file);
      if (existsSync(copy)) served.set(`/${hostname}${pathname}`, copy);
    }
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      requests.push({ path, authorization: request.headers.authorization });
      // huggingface.co/pyannote/speaker-diarization-community-1 is gated: only a token gets in
      if (path.includes('/pyannote/speaker-diarization-community-1/') && request.headers.authorization !== 'Bearer accepted-token') {
        response.writeHead(401).end('Access to model pyannote/speaker-diarization-community-1 is restricted');
        return;
      }
      const file = served.get(path);
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': statSync(file).size });
      createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'models-fresh-'));
    requests.length = 0;
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** The manifest's real URLs, fetched from the local server as http://127.0.0.1:PORT/HOST/PATH (headers kept). */
  const viaLocalServer: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${local}/${url.hostname}${url.pathname}`, init);
  };
  const results = (outcomes: InstallOutcome[]) => outcomes.map((o) => [o.model.id, o.result]);

  it('downloads segmentation-3.0-fp16 and derives segmentation-3.0 from it, verified by the manifest sha256', async () => {
    const manifest = loadManifest();
    const outcomes = await installModels(manifest, { modelsDir: work, only: ['segmentation-3.0'], fetchImpl: viaLocalServer });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'installed'],
      ['segmentation-3.0', 'installed'],
    ]);
    expect(outcomes[0]).toMatchObject({ from: findModel(manifest, 'segmentation-3.0-fp16')!.urls[0] });
    expect(outcomes[1]).toMatchObject({ from: expect.stringContaining('segmentation-3.0.fp16.onnx (widen-fp16:') });
    expect(requests.map((r) => r.path)).toEqual(['/huggingface.co/onnx-community/pyannote-segmentation-3.0/resolve/main/onnx/model_fp16.onnx']);
    const fp32 = findModel(manifest, 'segmentation-3.0')!;
    expect(await checkModel(fp32, work)).toMatchObject({ state: 'installed' });
    expect(createHash('sha256').update(readFileSync(join(work, fp32.file))).digest('hex')).toBe(fp32.sha256);
    expect(readdirSync(work).sort()).toEqual(['segmentation-3.0.fp16.onnx', 'segmentation-3.0.fp32-from-fp16.onnx']);
  });

  it('installs every model the default needs; the gated community-1 files fail without HF_TOKEN, saying so, and install with it', async () => {
    const manifest = loadManifest();
    const outcomes = await installModels(manifest, { modelsDir: work, fetchImpl: viaLocalServer });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'installed'],
      ['segmentation-3.0', 'installed'],
      ['segmentation-3.0-sherpa-int8', 'installed'],
      ['wespeaker-resnet34-lm', 'failed'], // not in ../shared/models, so the stand-in server has no copy
      ['openvoice-refenc', 'installed'],
      ['community-1-plda', 'failed'],
      ['community-1-xvec-transform', 'failed'],
    ]);
    const plda = outcomes[5] as Extract<InstallOutcome, { result: 'failed' }>;
    expect(plda.reason).toContain('HTTP 401');
    expect(plda.reason).toContain(
      'the repository is gated: set HF_TOKEN to a Hugging Face token of an account that accepted the conditions of https://huggingface.co/pyannote/speaker-diarization-community-1',
    );
    expect((outcomes[3] as Extract<InstallOutcome, { result: 'failed' }>).reason).not.toContain('HF_TOKEN');

    const refused = await installModels(manifest, { modelsDir: work, only: ['community-1-plda'], fetchImpl: viaLocalServer, huggingFaceToken: 'wrong' });
    expect((refused[0] as Extract<InstallOutcome, { result: 'failed' }>).reason).toContain('HF_TOKEN was refused: it must be a Hugging Face token');

    requests.length = 0;
    const gated = await installModels(manifest, {
      modelsDir: work,
      only: ['community-1-plda', 'community-1-xvec-transform'],
      fetchImpl: viaLocalServer,
      huggingFaceToken: 'accepted-token',
    });
    expect(results(gated)).toEqual([
      ['community-1-plda', 'installed'],
      ['community-1-xvec-transform', 'installed'],
    ]);
    expect(requests.every((r) => r.authorization === 'Bearer accepted-token')).toBe(true);
  });

  it('reports segmentation-3.0 as failed, naming its source, when the fp16 download fails', async () => {
    const manifest = loadManifest();
    const missing: typeof fetch = (input, init) => viaLocalServer(String(input).replace('/resolve/', '/missing/'), init);
    const outcomes = await installModels(manifest, { modelsDir: work, only: ['segmentation-3.0'], fetchImpl: missing });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'failed'],
      ['segmentation-3.0', 'failed'],
    ]);
    expect((outcomes[1] as Extract<InstallOutcome, { result: 'failed' }>).reason).toBe(
      'segmentation-3.0-fp16 could not be installed (it is made from segmentation-3.0-fp16: float16 tensors, Casts and value types widened to float32)',
    );
    expect(readdirSync(work)).toEqual([]);
  });

  it('reuses an installed fp16 file without downloading anything', async () => {
    const manifest = loadManifest();
    const folder = join(work, 'folder');
    mkdirSync(folder);
    copyFileSync(join(SHARED_MODELS, 'segmentation-3.0.fp16.onnx'), join(folder, 'segmentation-3.0.fp16.onnx'));
    const models = join(work, 'models');
    // --from a folder that has only the fp16 file: the fp32 one is derived from it
    const fromFolder = await installModels(manifest, { modelsDir: models, fromDir: folder, only: ['segmentation-3.0'] });
    expect(results(fromFolder)).toEqual([
      ['segmentation-3.0-fp16', 'installed'],
      ['segmentation-3.0', 'installed'],
    ]);
    rmSync(join(models, 'segmentation-3.0.fp32-from-fp16.onnx'));
    const offline: typeof fetch = () => Promise.reject(new Error('no network in this test'));
    const outcomes = await installModels(manifest, { modelsDir: models, only: ['segmentation-3.0'], fetchImpl: offline });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'already-installed'],
      ['segmentation-3.0', 'installed'],
    ]);
    expect(requests).toEqual([]);
  });

  it('copies the fp32 file itself from --from DIR when the folder has it', async () => {
    const manifest = loadManifest();
    const outcomes = await installModels(manifest, { modelsDir: work, fromDir: SHARED_MODELS, only: ['segmentation-3.0'] });
    expect(outcomes).toEqual([
      expect.objectContaining({ result: 'installed', from: join(SHARED_MODELS, 'segmentation-3.0.fp32-from-fp16.onnx') }),
    ]);
    expect(readdirSync(work)).toEqual(['segmentation-3.0.fp32-from-fp16.onnx']);
  });

  it('derives the fp32 file when the folder holds a damaged copy of it beside the fp16 file', async () => {
    const folder = join(work, 'folder');
    mkdirSync(folder);
    copyFileSync(join(SHARED_MODELS, 'segmentation-3.0.fp16.onnx'), join(folder, 'segmentation-3.0.fp16.onnx'));
    writeFileSync(join(folder, 'segmentation-3.0.fp32-from-fp16.onnx'), 'truncated');
    const outcomes = await installModels(loadManifest(), { modelsDir: join(work, 'm'), fromDir: folder, only: ['segmentation-3.0'] });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'installed'],
      ['segmentation-3.0', 'installed'],
    ]);
    rmSync(join(folder, 'segmentation-3.0.fp16.onnx'));
    const without = await installModels(loadManifest(), { modelsDir: join(work, 'n'), fromDir: folder, only: ['segmentation-3.0'] });
    expect(without[1]).toMatchObject({
      result: 'failed',
      reason: `got 9 bytes, expected 5987456; segmentation-3.0.fp16.onnx is not in ${folder} either (it is made from segmentation-3.0-fp16: float16 tensors, Casts and value types widened to float32)`,
    });
  });

  it('says which files a folder lacks when it has neither the fp32 nor the fp16 file', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const outcomes = await installModels(loadManifest(), { modelsDir: join(work, 'm'), fromDir: empty, only: ['segmentation-3.0'] });
    expect(outcomes[1]).toMatchObject({
      result: 'unavailable',
      reason: expect.stringContaining(`neither segmentation-3.0.fp32-from-fp16.onnx nor segmentation-3.0.fp16.onnx is in ${empty}`),
    });
  });

  it('refuses a derived file that does not match the manifest, leaving nothing behind', async () => {
    const manifest = parseManifest({
      ...loadManifest(),
      models: loadManifest().models.map((m) => (m.id === 'segmentation-3.0' ? { ...m, sha256: 'b'.repeat(64) } : m)),
    });
    const outcomes = await installModels(manifest, { modelsDir: work, only: ['segmentation-3.0'], fetchImpl: viaLocalServer });
    expect(results(outcomes)).toEqual([
      ['segmentation-3.0-fp16', 'installed'],
      ['segmentation-3.0', 'failed'],
    ]);
    expect((outcomes[1] as Extract<InstallOutcome, { result: 'failed' }>).reason).toMatch(
      /^deriving it from segmentation-3.0-fp16 \(widen-fp16\) gave a different file: sha256 47cdf063[0-9a-f]+ does not match the manifest$/,
    );
    expect(readdirSync(work)).toEqual(['segmentation-3.0.fp16.onnx']);
  });
});
