import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from './object-store';

/** Copies an object into a local file (ffmpeg needs a seekable file for mp4/m4a). */
export async function downloadToFile(store: ObjectStore, key: string, path: string, signal?: AbortSignal): Promise<void> {
  const source = await store.get(key);
  try {
    await pipeline(source, createWriteStream(path), { signal });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/** Reads a small object (a result JSON) as text. */
export async function readText(store: ObjectStore, key: string): Promise<string> {
  const source = await store.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}
