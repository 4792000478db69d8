import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256OfFile } from './checksum';
import type { Manifest, ModelEntry } from './manifest';

export type InstallState = 'installed' | 'missing' | 'corrupt';

export interface ModelStatus {
  model: ModelEntry;
  path: string;
  state: InstallState;
  detail?: string;
}

/** The command that (re)installs a model that plain `npm run models` downloads, for error messages. */
export const INSTALL_HINT = 'npm run models (or: npm run models -- --from DIR)';

/**
 * The command that can actually (re)install this model, for messages ("run …", "install it
 * with: …"). Plain `npm run models` is only offered when it would fetch the file: the model (or
 * the entry it is derived from) has a download URL and is not benchmark-only; a gated download
 * says HF_TOKEN is needed; a model without any download can only come from a folder.
 * `manifest` lets a derived model's source be checked; without it the source is assumed downloadable.
 */
export function installHint(model: ModelEntry, manifest?: Manifest): string {
  const source = model.derivedFrom ? manifest?.models.find((m) => m.id === model.derivedFrom!.model) : undefined;
  // The entry whose URLs a plain run downloads: the model's own, else the one it is derived from.
  const fetched = model.urls.length > 0 ? model : source;
  const downloadable = model.urls.length > 0 || (model.derivedFrom !== undefined && (manifest === undefined || (source?.urls.length ?? 0) > 0));
  if (!downloadable) {
    const files = source ? `${model.file} or ${source.file} (neither has a download URL)` : `${model.file} (it has no download URL)`;
    return `npm run models -- --from DIR, with DIR a folder that holds ${files}`;
  }
  const command = model.benchmarkOnly ? `npm run models -- --only ${model.id}` : 'npm run models';
  const token = fetched?.gated
    ? ` with HF_TOKEN set to a Hugging Face token of an account that accepted the conditions of ${gatedRepositoryPage(fetched) ?? 'the repository'}`
    : '';
  return `${command}${token} (or: npm run models -- --from DIR)`;
}

/** https://huggingface.co/OWNER/REPO of a model's first huggingface.co URL (a gated repository's page). */
export function gatedRepositoryPage(model: ModelEntry): string | undefined {
  for (const url of model.urls) {
    const parsed = new URL(url);
    if (!parsed.hostname.endsWith('huggingface.co')) continue;
    const [owner, repo] = parsed.pathname.split('/').filter(Boolean);
    if (owner && repo) return `https://huggingface.co/${owner}/${repo}`;
  }
  return undefined;
}

const verified = new Map<string, string>();

/**
 * Checks one installed model file: present, right size, right sha256. The hash is computed once
 * per process and file version (path, size, mtime), since loading happens often and files rarely change.
 */
export async function checkModel(model: ModelEntry, modelsDir: string): Promise<ModelStatus> {
  const path = join(modelsDir, model.file);
  let info;
  try {
    info = await stat(path);
  } catch {
    return { model, path, state: 'missing' };
  }
  if (!info.isFile()) return { model, path, state: 'missing', detail: 'not a regular file' };
  if (info.size !== model.bytes) {
    return { model, path, state: 'corrupt', detail: `size ${info.size} bytes, expected ${model.bytes}` };
  }
  const key = `${path}:${info.size}:${info.mtimeMs}`;
  const digest = verified.get(key) ?? (await sha256OfFile(path));
  verified.set(key, digest);
  if (digest !== model.sha256) return { model, path, state: 'corrupt', detail: `sha256 ${digest} does not match the manifest` };
  return { model, path, state: 'installed' };
}

/** One line that names the model, what is wrong and the command that fixes it (see installHint). */
export function describeProblem(status: ModelStatus, manifest?: Manifest): string {
  const what = status.state === 'missing' ? 'is not installed' : `is corrupt (${status.detail})`;
  return `model "${status.model.id}" (${status.path}) ${what}: run ${installHint(status.model, manifest)}`;
}
