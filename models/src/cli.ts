#!/usr/bin/env node
/**
 * npm run models                      download every missing model that has a URL (or derive it from one
 *                                     that has: segmentation-3.0 from segmentation-3.0-fp16), verify sha256
 * npm run models -- --from DIR        install from a local folder (e.g. ../shared/models)
 * npm run models -- --only a,b        limit to these model ids
 * npm run models -- --check           verify what is installed, install nothing
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MANIFEST_PATH, defaultModelsDir, loadManifest, type Manifest } from './manifest';
import { installModels } from './install';
import { checkModel, installHint } from './status';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      only: { type: 'string' },
      check: { type: 'boolean', default: false },
      'models-dir': { type: 'string' },
      manifest: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run models -- [--from DIR] [--only ID,ID] [--check] [--models-dir DIR] [--manifest FILE]\n',
    );
    return 0;
  }
  const manifest = loadManifest(values.manifest ?? DEFAULT_MANIFEST_PATH);
  const modelsDir = values['models-dir'] ?? defaultModelsDir(process.env);
  const only = values.only?.split(',').map((id) => id.trim()).filter(Boolean);

  if (values.check) {
    let problems = 0;
    for (const model of manifest.models) {
      if (only && !only.includes(model.id)) continue;
      const status = await checkModel(model, modelsDir);
      if (status.state !== 'installed') problems += model.benchmarkOnly ? 0 : 1;
      const fix = status.state === 'installed' ? '' : ` install with: ${installHint(model, manifest)}`;
      process.stdout.write(`${status.state.padEnd(9)} ${model.id}${status.detail ? ` (${status.detail})` : ''}${fix}\n`);
    }
    return problems > 0 && only ? 1 : 0;
  }

  process.stderr.write(`installing into ${modelsDir}${values.from ? ` from ${values.from}` : ''}\n`);
  const outcomes = await installModels(manifest, {
    modelsDir,
    fromDir: values.from,
    only,
    huggingFaceToken: process.env.HF_TOKEN,
  });
  for (const outcome of outcomes) {
    const detail = 'reason' in outcome ? `: ${outcome.reason}` : `${outcome.from ? ` from ${outcome.from}` : ''}${outcome.derived ? ` (derived ${outcome.derived})` : ''}`;
    process.stdout.write(`${outcome.result.padEnd(17)} ${outcome.model.id}${detail}\n`);
  }
  const failed = outcomes.filter((o) => o.result === 'failed');
  // With --only, every model asked for must end up installed.
  const missed = only ? outcomes.filter((o) => only.includes(o.model.id) && o.result === 'unavailable') : [];
  const usable = await usableSet(manifest, modelsDir);
  if (failed.length > 0) process.stderr.write(`${failed.length} model(s) failed to install; see the lines above\n`);
  if (missed.length > 0) process.stderr.write(`not installed: ${missed.map((o) => o.model.id).join(', ')}; see the lines above\n`);
  // A failed optional model (e.g. a gated PLDA without HF_TOKEN) leaves the service usable (exit 0).
  const code = !usable || (only && failed.length + missed.length > 0) ? 1 : 0;
  if (!usable) process.stderr.write('no usable set of models (one segmentation and one embedding model) is installed\n');
  if (code !== 0 || failed.length > 0) process.stderr.write(`${fromFolderAdvice(values.from)}\n`);
  return code;
}

/** The last line of a failed install: the way to install without downloading. */
function fromFolderAdvice(fromDir: string | undefined): string {
  return fromDir === undefined
    ? 'to install without downloading, use a folder that holds the model files: npm run models -- --from DIR'
    : `npm run models -- --from DIR finds each file by its name in DIR or up to 3 folders below it: ${fromDir} lacks the files above or holds damaged copies`;
}

/** At least one segmentation and one (non-benchmark) embedding model installed and intact. */
async function usableSet(manifest: Manifest, modelsDir: string): Promise<boolean> {
  const installed = async (role: 'segmentation' | 'embedding') => {
    for (const model of manifest.models.filter((m) => m.role === role && !m.benchmarkOnly)) {
      if ((await checkModel(model, modelsDir)).state === 'installed') return true;
    }
    return false;
  };
  return (await installed('segmentation')) && (await installed('embedding'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`models: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
