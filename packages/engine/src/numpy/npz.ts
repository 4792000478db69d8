import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { formatNpy, NpyArray, parseNpy } from './npy';

/** Reads every array of a .npz archive, keyed by name without the ".npy" suffix. */
export function parseNpz(bytes: Uint8Array, name = 'archive'): Map<string, NpyArray> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new Error(`${name}: not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [entry, content] of Object.entries(entries)) {
    const key = entry.replace(/\.npy$/, '');
    arrays.set(key, parseNpy(content, `${name}:${key}`));
  }
  return arrays;
}

export function loadNpz(path: string): Map<string, NpyArray> {
  return parseNpz(readFileSync(path), basename(path));
}

export function loadNpy(path: string): NpyArray {
  return parseNpy(readFileSync(path), basename(path));
}

/** Returns the named array or fails with a message naming the archive and the key. */
export function requireArray(arrays: Map<string, NpyArray>, key: string, source: string): NpyArray {
  const array = arrays.get(key);
  if (!array) throw new Error(`${source} has no array "${key}" (found: ${[...arrays.keys()].join(', ')})`);
  return array;
}

/** Writes arrays as numpy.savez does (uncompressed), readable by numpy.load and loadNpz. */
export function saveNpz(path: string, arrays: Record<string, { data: Float32Array | Uint8Array; shape: number[] }>): void {
  const entries = Object.fromEntries(Object.entries(arrays).map(([key, { data, shape }]) => [`${key}.npy`, formatNpy(data, shape)]));
  writeFileSync(path, zipSync(entries, { level: 0 }));
}
