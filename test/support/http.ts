import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { waitFor } from './ports';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export async function call(baseUrl: string, path: string, init: RequestInit & { token?: string } = {}): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A multipart form with the file streamed from disk. */
export async function audioForm(path: string, fields: Record<string, string> = {}, type = 'application/octet-stream'): Promise<FormData> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', await openAsBlob(path, { type }), basename(path));
  return form;
}

export async function uploadJob(baseUrl: string, token: string, path: string, fields: Record<string, string> = {}): Promise<string> {
  const response = await call(baseUrl, '/jobs', { method: 'POST', token, body: await audioForm(path, fields) });
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${response.text}`);
  return String(response.body.id);
}

export function waitForJob(
  baseUrl: string,
  token: string,
  id: string,
  done: (job: Record<string, unknown>) => boolean = (job) => ['succeeded', 'failed', 'canceled'].includes(String(job.status)),
  timeoutMs = 90_000,
): Promise<Record<string, unknown>> {
  return waitFor(
    `job ${id}`,
    async () => {
      const response = await call(baseUrl, `/jobs/${id}`, { token });
      return done(response.body) ? response.body : false;
    },
    { timeoutMs, intervalMs: 200 },
  );
}
