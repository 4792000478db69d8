import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DERIVATION_DESCRIPTIONS, deriveModelFile } from './derive';
import { ensureEmbeddingParts } from './derived-parts';
import { checkModel, gatedRepositoryPage } from './status';
import type { Manifest, ModelEntry } from './manifest';

export type InstallOutcome =
  | { model: ModelEntry; result: 'already-installed' | 'installed'; from?: string; derived?: string }
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

/**
 * Copies or downloads every selected model that is missing or corrupt, verifying sha256. A model
 * with `derivedFrom` whose own file cannot be copied or downloaded is made from its source entry,
 * which is installed first (and reported, before it), then checked against its own sha256.
 */
export async function installModels(manifest: Manifest, options: InstallOptions): Promise<InstallOutcome[]> {
  await mkdir(options.modelsDir, { recursive: true });
  const selected = selectModels(manifest, options);
  const outcomes: InstallOutcome[] = [];
  const done = new Map<string, InstallOutcome>();
  const install = async (model: ModelEntry): Promise<InstallOutcome> => {
    const known = done.get(model.id);
    if (known) return known;
    let outcome: InstallOutcome;
    const current = await checkModel(model, options.modelsDir);
    if (current.state === 'installed') {
      outcome = { model, result: 'already-installed' };
    } else {
      try {
        outcome = await installOne(model, manifest, options, install);
      } catch (error) {
        outcome = { model, result: 'failed', reason: messageOf(error) };
      }
    }
    if (outcome.result === 'installed' || outcome.result === 'already-installed') outcome = await withDerivedParts(outcome, options.modelsDir);
    done.set(model.id, outcome);
    outcomes.push(outcome);
    options.onProgress?.(`${model.id}: ${outcome.result}${'reason' in outcome ? ` (${outcome.reason})` : ''}`);
    return outcome;
  };
  for (const model of selected) await install(model);
  return outcomes;
}

/**
 * WeSpeaker-format embedding models also need their trunk and head (pyannote's weighted pooling
 * runs between them), derived from the verified file and rebuilt when missing or stale.
 */
async function withDerivedParts(
  outcome: Extract<InstallOutcome, { result: 'installed' | 'already-installed' }>,
  modelsDir: string,
): Promise<InstallOutcome> {
  const { model } = outcome;
  if (model.role !== 'embedding' || model.interface.kind !== 'fbank-embedding') return outcome;
  try {
    const parts = await ensureEmbeddingParts(join(modelsDir, model.file), { outDir: modelsDir, sourceSha256: model.sha256 });
    if (typeof parts.trunk !== 'string') throw new Error(`${modelsDir} is not writable`);
    return parts.built ? { ...outcome, derived: `${basename(parts.trunk)}, ${basename(String(parts.head))}` } : outcome;
  } catch (error) {
    return { model, result: 'failed', reason: `could not derive its trunk and head: ${messageOf(error)}` };
  }
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

async function installOne(
  model: ModelEntry,
  manifest: Manifest,
  options: InstallOptions,
  install: (model: ModelEntry) => Promise<InstallOutcome>,
): Promise<InstallOutcome> {
  let direct: InstallOutcome | undefined;
  let directError: unknown;
  try {
    direct = options.fromDir
      ? await installFromFolder(model, options.fromDir, options.modelsDir)
      : await installFromUrls(model, options);
  } catch (error) {
    directError = error;
  }
  if (direct?.result === 'installed' || !model.derivedFrom) {
    if (direct) return direct;
    throw directError;
  }
  // Not copied or downloaded as such: make it from its source entry.
  const source = manifest.models.find((m) => m.id === model.derivedFrom!.model);
  if (!source) throw new Error(`it is derived from ${model.derivedFrom.model}, which is not in the manifest`);
  const sourceOutcome = await install(source);
  if (sourceOutcome.result === 'failed' || sourceOutcome.result === 'unavailable') {
    let where = `${source.id} could not be installed`;
    if (options.fromDir && sourceOutcome.result === 'unavailable') {
      where = directError === undefined ? `neither ${model.file} nor ${source.file} is in ${options.fromDir}` : `${source.file} is not in ${options.fromDir} either`;
    }
    const reason = `${where} (it is made from ${source.id}: ${DERIVATION_DESCRIPTIONS[model.derivedFrom.transform]})`;
    // the file itself was found (or downloaded) but was not the right one
    if (directError !== undefined) return { model, result: 'failed', reason: `${messageOf(directError)}; ${reason}` };
    return sourceOutcome.result === 'failed' ? { model, result: 'failed', reason } : { model, result: 'unavailable', reason };
  }
  const sourcePath = join(options.modelsDir, source.file);
  const derived = deriveModelFile(model.derivedFrom, await readFile(sourcePath), `${source.id} (${sourcePath})`);
  try {
    await writeVerified(model, Readable.from([derived]), options.modelsDir);
  } catch (error) {
    throw new Error(`deriving it from ${source.id} (${model.derivedFrom.transform}) gave a different file: ${messageOf(error)}`);
  }
  return { model, result: 'installed', from: `${source.file} (${model.derivedFrom.transform}: ${DERIVATION_DESCRIPTIONS[model.derivedFrom.transform]})` };
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
  let refused = false;
  for (const url of model.urls) {
    try {
      const headers: Record<string, string> = {};
      if (options.huggingFaceToken && new URL(url).hostname.endsWith('huggingface.co')) {
        headers.authorization = `Bearer ${options.huggingFaceToken}`;
      }
      const response = await fetchImpl(url, { headers, redirect: 'follow' });
      if (response.status === 401 || response.status === 403) refused = true;
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await writeVerified(model, Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), options.modelsDir);
      return { model, result: 'installed', from: url };
    } catch (error) {
      errors.push(`${url}: ${describeFetchError(error)}`);
    }
  }
  const gate = model.gated && refused ? `; ${gatedAdvice(model, options.huggingFaceToken !== undefined)}` : '';
  throw new Error(`download failed (${errors.join('; ')})${gate}`);
}

/** What to do about a gated download that was refused. */
function gatedAdvice(model: ModelEntry, tokenSent: boolean): string {
  const page = gatedRepositoryPage(model);
  const account = `a Hugging Face token of an account that accepted the conditions of ${page ?? 'the repository'}`;
  return tokenSent ? `HF_TOKEN was refused: it must be ${account}` : `the repository is gated: set HF_TOKEN to ${account}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
