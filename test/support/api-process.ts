import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, spawnService, type SpawnedService } from './processes';

export const API_MAIN = resolve(REPO_ROOT, 'apps/api/dist/main.js');

export interface ApiProcess {
  service: SpawnedService;
  port: number;
  url: string;
}

/**
 * Runs the built API (`apps/api/dist/main.js`) as its own process, as in production; with
 * DIARIZATION_PORT=0 it listens on a free port, read from its "api listening" log line. Give it
 * TMPDIR to see its upload temp folders apart from everybody else's.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const service = spawnService(API_MAIN, { DIARIZATION_PORT: '0', DIARIZATION_HOST: '127.0.0.1', ...env });
  try {
    await service.waitForOutput(/"msg":"api listening"/, 30_000);
  } catch (error) {
    await service.kill('SIGKILL');
    throw error;
  }
  const match = /"msg":"api listening"[^\n]*"port":(\d+)/.exec(service.output());
  if (match === null) throw new Error(`no port in the API's log:\n${service.output()}`);
  const port = Number(match[1]);
  return { service, port, url: `http://127.0.0.1:${port}` };
}

/** The API's upload temp folders (`diarization-upload-*`) in a TMPDIR. */
export function uploadTempFolders(tmpDir: string): string[] {
  return existsSync(tmpDir) ? readdirSync(tmpDir).filter((name) => name.startsWith('diarization-upload-')) : [];
}

/** Every file under a folder, as paths relative to it ('' when the folder does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}
