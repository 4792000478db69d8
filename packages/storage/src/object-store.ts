import type { Readable } from 'node:stream';

export interface ObjectInfo {
  /** Size in bytes. */
  size: number;
}

/** An object as listed: its key, size and when it was last written. */
export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
}

/** See ObjectStore.removeStaleUploads. */
export interface StaleUploadCutoff {
  writtenBefore: Date;
  startedBefore: Date;
}

export interface PutOptions {
  contentType?: string;
  /** Aborting stops the write and removes whatever was written. */
  signal?: AbortSignal;
}

/** Blob storage for uploaded audio and results: one interface, a local folder or S3. */
export interface ObjectStore {
  /** Where objects go, for logs and /health ("s3://bucket at http://minio:9000"). */
  readonly description: string;
  /** Creates the bucket or folder when missing. */
  init(): Promise<void>;
  /** Resolves when the store answers; rejects with StorageUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Streams `body` into `key`. A failed or aborted write leaves no object behind. */
  put(key: string, body: Readable | Buffer | string, options?: PutOptions): Promise<ObjectInfo>;
  /** Rejects with ObjectNotFoundError when the key does not exist. */
  get(key: string): Promise<Readable>;
  /** Null when the key does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (unfinished writes are not objects). */
  list(prefix: string): AsyncIterable<StoredObject>;
  /**
   * Removes unfinished writes left by a process that died mid-write; returns how many. The
   * local store's partial files go when last written before `writtenBefore`; S3 multipart
   * uploads, which are dated by their start, when started before `startedBefore`.
   */
  removeStaleUploads(cutoff: StaleUploadCutoff): Promise<number>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** The store could not be reached or refused the operation for reasons of its own. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

export function isStorageUnavailable(error: unknown): error is StorageUnavailableError {
  return error instanceof StorageUnavailableError;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of safe segments: no "..", no leading "/", no empty segment. */
export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.') || key.length > 512) {
    throw new Error(`invalid object key: ${JSON.stringify(key)}`);
  }
}
