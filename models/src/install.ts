import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkModel } from './status';
import type { Manifest, ModelEntry } from './manifest';

export type InstallOutcome =
  | { model: ModelEntry; result: 'already-installed' | 'installed'; from?: string }
  | { model: ModelEntry; result: 'unavailable'; reason: string }
  | { model: ModelEntry; result: 'failed'; reason: string };

export interface InstallOptions {
  modelsDir: string;
  /** Install from this folder instead of downloading. */
  fromDir?: string;
  /** Limit to these model ids (default: every model from a folder; every downloadable non-benchmark model otherwise). */
  only?: string[];
  /** Sent as a Bearer token to huggingface.co (gated repositories such as community-1). */
  huggingFaceToken?: string;
  fetchImpl?: typeof fetch;
  onProgress?: (line: string) => void;
}

/** Copies or downloads every selected model that is missing or corrupt, verifying sha256. */
export async function installModels(manifest: Manifest, options: InstallOptions): Promise<InstallOutcome[]> {
  await mkdir(options.modelsDir, { recursive: true });
  const selected = selectModels(manifest, options);
  const outcomes: InstallOutcome[] = [];
  for (const model of selected) {
    const current = await checkModel(model, options.modelsDir);
    if (current.state === 'installed') {
      outcomes.push({ model, result: 'already-installed' });
      continue;
    }
    try {
      outcomes.push(
        options.fromDir
          ? await installFromFolder(model, options.fromDir, options.modelsDir)
          : await installFromUrls(model, options),
      );
    } catch (error) {
      outcomes.push({ model, result: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
    const last = outcomes[outcomes.length - 1];
    options.onProgress?.(`${model.id}: ${last.result}${'reason' in last ? ` (${last.reason})` : ''}`);
  }
  return outcomes;
}

function selectModels(manifest: Manifest, options: InstallOptions): ModelEntry[] {
  if (options.only && options.only.length > 0) {
    const unknown = options.only.filter((id) => !manifest.models.some((m) => m.id === id));
    if (unknown.length > 0) throw new Error(`unknown model id(s): ${unknown.join(', ')}`);
    return manifest.models.filter((m) => options.only!.includes(m.id));
  }
  if (options.fromDir) return manifest.models;
  return manifest.models.filter((m) => !m.benchmarkOnly);
}

async function installFromFolder(model: ModelEntry, fromDir: string, modelsDir: string): Promise<InstallOutcome> {
  const source = await findFile(fromDir, model.file, 3);
  if (!source) return { model, result: 'unavailable', reason: `${model.file} is not in ${fromDir}` };
  await writeVerified(model, createReadStream(source), modelsDir);
  return { model, result: 'installed', from: source };
}

async function installFromUrls(model: ModelEntry, options: InstallOptions): Promise<InstallOutcome> {
  if (model.urls.length === 0) {
    return { model, result: 'unavailable', reason: 'no download URL (install it with --from DIR)' };
  }
  const fetchImpl = options.fetchImpl ?? fetch;
  const errors: string[] = [];
  for (const url of model.urls) {
    try {
      const headers: Record<string, string> = {};
      if (options.huggingFaceToken && new URL(url).hostname.endsWith('huggingface.co')) {
        headers.authorization = `Bearer ${options.huggingFaceToken}`;
      }
      const response = await fetchImpl(url, { headers, redirect: 'follow' });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await writeVerified(model, Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), options.modelsDir);
      return { model, result: 'installed', from: url };
    } catch (error) {
      errors.push(`${url}: ${describeFetchError(error)}`);
    }
  }
  throw new Error(`download failed (${errors.join('; ')})`);
}

/** fetch says only "fetch failed"; the reason (DNS, refused, TLS...) is in its cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}

/** Streams into a temporary file, checks size and sha256, then renames into place. */
async function writeVerified(model: ModelEntry, source: Readable, modelsDir: string): Promise<void> {
  const target = join(modelsDir, model.file);
  const partial = `${target}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, measure, createWriteStream(partial));
    const digest = hash.digest('hex');
    if (bytes !== model.bytes) throw new Error(`got ${bytes} bytes, expected ${model.bytes}`);
    if (digest !== model.sha256) throw new Error(`sha256 ${digest} does not match the manifest`);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

/** Finds `name` in `dir` or its subfolders (breadth-first, bounded depth). */
async function findFile(dir: string, name: string, depth: number): Promise<string | undefined> {
  const direct = join(dir, name);
  try {
    if ((await stat(direct)).isFile()) return direct;
  } catch {
    // not at the top level
  }
  if (depth === 0) return undefined;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const found = await findFile(join(dir, entry.name), basename(name), depth - 1);
    if (found) return found;
  }
  return undefined;
}
