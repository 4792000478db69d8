import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NpyArray, parseNpy } from './npy';
import { readZipEntries } from './zip';

/** Reads every array of a .npz archive, keyed by name without the ".npy" suffix. */
export function parseNpz(bytes: Uint8Array, name = 'archive'): Map<string, NpyArray> {
  const arrays = new Map<string, NpyArray>();
  for (const [entry, content] of readZipEntries(bytes, name)) {
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
