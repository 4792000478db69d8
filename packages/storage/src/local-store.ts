import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Dirent } from 'node:fs';
import { access, constants, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  ObjectNotFoundError,
  StorageUnavailableError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type StaleUploadCutoff,
  type StoredObject,
} from './object-store';

/** Unfinished writes; a process killed mid-write leaves its file here (see removeStaleUploads). */
const PARTIAL_DIR = '.partial';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Objects as files under one folder; writes go to a temporary file renamed into place. */
export class LocalObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  get description(): string {
    return `local folder ${this.root}`;
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return join(this.root, key);
  }

  async init(): Promise<void> {
    await mkdir(join(this.root, PARTIAL_DIR), { recursive: true });
  }

  async ping(): Promise<void> {
    try {
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StorageUnavailableError(`storage folder ${this.root} is not writable`, { cause: error });
    }
  }

  async put(key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    const target = this.pathOf(key);
    const partial = join(this.root, PARTIAL_DIR, randomUUID());
    await mkdir(dirname(partial), { recursive: true });
    try {
      const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
      await pipeline(source, createWriteStream(partial), { signal: options.signal });
      await mkdir(dirname(target), { recursive: true });
      await rename(partial, target);
      return { size: (await stat(target)).size };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    return createReadStream(path);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    // Remove folders the key leaves empty (audio/<id>/), never the root itself.
    for (let dir = dirname(path); dir.startsWith(this.root + sep) && dir !== this.root; dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty, or already gone
      }
    }
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // Start from the deepest folder the prefix names ("audio/" -> <root>/audio).
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (folder !== '') assertValidKey(folder);
    yield* this.walk(folder, prefix);
  }

  private async *walk(folderKey: string, prefix: string): AsyncGenerator<StoredObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(folderKey === '' ? this.root : join(this.root, folderKey), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // Keys never have a segment starting with "." (that also skips .partial).
      if (entry.name.startsWith('.')) continue;
      const key = folderKey === '' ? entry.name : `${folderKey}/${entry.name}`;
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        try {
          const info = await stat(join(this.root, key));
          yield { key, size: info.size, lastModified: info.mtime };
        } catch (error) {
          if (!isMissing(error)) throw error; // deleted meanwhile
        }
      }
    }
  }

  async removeStaleUploads({ writtenBefore }: StaleUploadCutoff): Promise<number> {
    const dir = join(this.root, PARTIAL_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      try {
        // A write in progress touches its file with every chunk: only abandoned ones are old.
        if ((await stat(join(dir, name))).mtime >= writtenBefore) continue;
        await rm(join(dir, name), { force: true, recursive: true });
        removed++;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return removed;
  }
}
