import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_MODELS } from '../../test/shared-paths';
import { loadManifest, type Manifest } from './manifest';
import { freePort } from '../../test/support/ports';

/** models/dist/cli.js, as `npm run models` runs it (npm test builds before jest runs). */
const CLI = join(__dirname, '..', 'dist', 'cli.js');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.HF_TOKEN;
  delete env.MODELS_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').pop();


describe('npm run models (the built CLI)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'models-cli-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** The manifest with every URL moved to BASE/HOST/PATH, written to a file. */
  const writeManifest = (base: string, keep?: (id: string) => boolean): string => {
    const manifest = loadManifest();
    const moved: Manifest = {
      ...manifest,
      models: manifest.models
        .filter((m) => !keep || keep(m.id))
        .map((m) => ({ ...m, urls: m.urls.map((url) => `${base}/${new URL(url).hostname}${new URL(url).pathname}`) })),
    };
    const path = join(work, 'manifest.json');
    writeFileSync(path, JSON.stringify(moved));
    return path;
  };

  it('ends a failed install (no network) with a line about --from DIR and exits 1', async () => {
    const port = await freePort();
    const models = join(work, 'models');
    const { code, stdout, stderr } = await runCli(['--models-dir', models, '--manifest', writeManifest(`http://127.0.0.1:${port}`)]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^failed +segmentation-3.0-fp16: download failed \(.*ECONNREFUSED/m);
    expect(stdout).toMatch(/^failed +segmentation-3.0: segmentation-3.0-fp16 could not be installed/m);
    expect(stderr).toContain('no usable set of models');
    expect(lastLine(stderr)).toBe('to install without downloading, use a folder that holds the model files: npm run models -- --from DIR');
    expect(readdirSync(models)).toEqual([]);
  });

  it('ends a failed install from a folder with a line about --from DIR and exits 1', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const { code, stdout, stderr } = await runCli(['--models-dir', join(work, 'models'), '--from', empty]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^unavailable +segmentation-3.0: neither segmentation-3.0.fp32-from-fp16.onnx nor segmentation-3.0.fp16.onnx is in /m);
    expect(lastLine(stderr)).toBe(
      `npm run models -- --from DIR finds each file by its name in DIR or up to 3 folders below it: ${empty} lacks the files above or holds damaged copies`,
    );
  });

  it('exits 0 when a usable set is installed, but still ends with the --from DIR line when a model failed', async () => {
    const server: Server = createServer((request, response) => {
      const path = request.url ?? '';
      if (path.includes('/pyannote/speaker-diarization-community-1/')) {
        response.writeHead(401).end();
        return;
      }
      const file = path.endsWith('model_fp16.onnx')
        ? join(SHARED_MODELS, 'segmentation-3.0.fp16.onnx')
        : path.endsWith('speaker_embedding_extractor.onnx')
          ? join(SHARED_MODELS, 'speaker-embedding.openvoice-refenc.onnx')
          : undefined;
      if (!file || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': statSync(file).size });
      createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ids = ['segmentation-3.0', 'segmentation-3.0-fp16', 'openvoice-refenc', 'community-1-plda'];
      const models = join(work, 'models');
      const { code, stdout, stderr } = await runCli(['--models-dir', models, '--manifest', writeManifest(base, (id) => ids.includes(id))]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^installed +segmentation-3.0 from segmentation-3.0.fp16.onnx \(widen-fp16: /m);
      expect(stdout).toMatch(/^failed +community-1-plda: download failed \(.*HTTP 401\); the repository is gated: set HF_TOKEN to /m);
      expect(stderr).toContain('1 model(s) failed to install');
      expect(lastLine(stderr)).toContain('npm run models -- --from DIR');
      expect(readdirSync(models).sort()).toEqual([
        'segmentation-3.0.fp16.onnx',
        'segmentation-3.0.fp32-from-fp16.onnx',
        'speaker-embedding.openvoice-refenc.onnx',
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('--check names the command that can install each missing model', async () => {
    const { code, stdout } = await runCli(['--models-dir', work, '--check', '--only', 'segmentation-3.0,wespeaker-resnet34-random,community-1-plda']);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual([
      'missing   segmentation-3.0 install with: npm run models (or: npm run models -- --from DIR)',
      'missing   wespeaker-resnet34-random install with: npm run models -- --from DIR, with DIR a folder that holds wespeaker-resnet34-arch.random-weights.onnx (it has no download URL)',
      'missing   community-1-plda install with: npm run models with HF_TOKEN set to a Hugging Face token of an account that accepted the conditions of https://huggingface.co/pyannote/speaker-diarization-community-1 (or: npm run models -- --from DIR)',
    ]);
  });
});
