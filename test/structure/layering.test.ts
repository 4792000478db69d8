/**
 * Layering rules (issue 8, section 4): which workspace may depend on which, who reads the
 * environment, what a DER computation loads, and that test-only code stays out of src/ (so out
 * of dist).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { REPO_ROOT } from '../support/processes';

interface Workspace {
  dir: string;
  name: string;
  main?: string;
  exports?: Record<string, { default: string }>;
  dependencies: Record<string, string>;
}

/** The workspaces `tsc -b` builds (the root tsconfig's references). */
function builtWorkspaces(): Workspace[] {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { references: Array<{ path: string }> };
  return root.references.map(({ path }) => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, path, 'package.json'), 'utf8')) as Omit<Workspace, 'dir'>;
    return { ...pkg, dir: path, dependencies: pkg.dependencies ?? {} };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(dir, file));
}

const isTest = (file: string) => /\.test\.ts$/.test(file);
const text = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('layering', () => {
  const workspaces = builtWorkspaces();
  const byName = new Map(workspaces.map((w) => [w.name, w]));

  it('keeps the API and the worker apart: only the all-in-one process depends on both', () => {
    const api = byName.get('@diarization/api')!;
    const worker = byName.get('@diarization/worker')!;
    expect(Object.keys(api.dependencies)).not.toContain('@diarization/worker');
    expect(Object.keys(worker.dependencies)).not.toContain('@diarization/api');
    for (const file of sourceFiles('apps/api/src')) expect(`${file}: ${text(file)}`).not.toMatch(/@diarization\/worker/);
    expect(byName.get('@diarization/all-in-one')!.dependencies).toMatchObject({ '@diarization/api': '0.1.0', '@diarization/worker': '0.1.0' });
    const scripts = (JSON.parse(text('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe('node apps/all-in-one/dist/main.js');
  });

  it('lets no library depend on an app, and keeps the engine free of the service packages', () => {
    const apps = workspaces.filter((w) => w.dir.startsWith('apps/')).map((w) => w.name);
    for (const library of workspaces.filter((w) => !w.dir.startsWith('apps/'))) {
      for (const app of apps) expect(`${library.name} -> ${Object.keys(library.dependencies).join(', ')}`).not.toContain(app);
    }
    for (const lower of ['@diarization/common', '@diarization/models', '@diarization/engine']) {
      const deps = Object.keys(byName.get(lower)!.dependencies);
      for (const service of ['@diarization/config', '@diarization/jobs', '@diarization/storage']) expect(deps).not.toContain(service);
    }
  });

  it('reads the environment only in callers: not in the engine, nor in the models library', () => {
    const readers = [...sourceFiles('packages/engine/src'), ...sourceFiles('models/src')]
      .filter((file) => !isTest(file) && /process\.env/.test(text(file)))
      .map((file) => relative('.', file));
    // the models installer's command line is a caller
    expect(readers).toEqual(['models/src/cli.ts']);
  });

  it('computes a DER without loading onnxruntime or ffmpeg (the built evaluation package)', () => {
    const script = `
      const { computeDer } = require(${JSON.stringify(join(REPO_ROOT, 'packages/evaluation/dist/index.js'))});
      const reference = [{ speaker: 'A', start: 0, end: 10 }, { speaker: 'B', start: 10, end: 20 }];
      const hypothesis = [{ speaker: 'x', start: 0, end: 11 }, { speaker: 'y', start: 11, end: 20 }];
      const der = computeDer(reference, hypothesis);
      const loaded = Object.keys(require.cache).filter((path) => /onnxruntime|fluent-ffmpeg|ffmpeg-installer/.test(path));
      console.log(JSON.stringify({ der: der.der, loaded }));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    const { der, loaded } = JSON.parse(result.stdout) as { der: number; loaded: string[] };
    expect(der).toBeCloseTo(1 / 20, 6);
    expect(loaded).toEqual([]);
  });
});

describe('test-only code stays out of src/ (and so out of dist)', () => {
  const workspaces = builtWorkspaces();

  it('excludes test files from every build', () => {
    for (const { dir } of workspaces) {
      const config = JSON.parse(text(join(dir, 'tsconfig.json'))) as { include: string[]; exclude?: string[] };
      expect(`${dir}: ${config.include.filter((path) => !/^src(\/|$)/.test(path)).join(', ')}`).toBe(`${dir}: `);
      expect(`${dir}: ${(config.exclude ?? []).includes('src/**/*.test.ts')}`).toBe(`${dir}: true`);
    }
  });

  it('imports every module in src/ from the package itself, not only from tests', () => {
    const importPattern = /(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
    const testOnly: string[] = [];
    for (const workspace of workspaces) {
      const files = sourceFiles(join(workspace.dir, 'src'));
      const importedByCode = new Set<string>();
      const importedByTests = new Set<string>();
      for (const file of files) {
        for (const match of text(file).matchAll(importPattern)) {
          const target = normalize(join(dirname(file), match[1]));
          for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
            (isTest(file) ? importedByTests : importedByCode).add(candidate);
          }
        }
      }
      for (const file of files) {
        if (!isTest(file) && importedByTests.has(file) && !importedByCode.has(file)) testOnly.push(file);
      }
    }
    // entry points (index.ts, main.ts) are imported by tests and by other packages, never by their own
    expect(testOnly.filter((file) => !/\/src\/(index|main|io|assignment)\.ts$/.test(file))).toEqual([]);
  });
});
