import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256OfFile } from './checksum';
import type { ModelEntry } from './manifest';

export type InstallState = 'installed' | 'missing' | 'corrupt';

export interface ModelStatus {
  model: ModelEntry;
  path: string;
  state: InstallState;
  detail?: string;
}

/** The command a person runs to (re)install models, for error messages. */
export const INSTALL_HINT = 'npm run models (or: npm run models -- --from DIR)';

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

/** One line that names the model, what is wrong and the command that fixes it. */
export function describeProblem(status: ModelStatus): string {
  const what = status.state === 'missing' ? 'is not installed' : `is corrupt (${status.detail})`;
  return `model "${status.model.id}" (${status.path}) ${what}: run ${INSTALL_HINT}`;
}
