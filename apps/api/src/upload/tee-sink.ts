import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Writable } from 'node:stream';
import type { ObjectInfo, ObjectStore } from '@diarization/storage';
import { payloadTooLarge } from '../errors';
import { UploadHash } from './fingerprint';
import type { FileSink } from './multipart';

/**
 * Writes a chunk; when the stream is full, waits for 'drain' unless `failed` rejects first.
 * Every promise it makes is awaited (a rejection nobody awaits crashes the process).
 */
async function writeWithBackpressure(stream: Writable, chunk: Buffer, failed: Promise<never>): Promise<void> {
  if (stream.write(chunk)) return;
  const stop = new AbortController();
  const drained = once(stream, 'drain', { signal: stop.signal });
  try {
    await Promise.race([drained, failed]);
  } finally {
    stop.abort(); // when `failed` won: drop the listener (the race handles the AbortError)
  }
}

/**
 * Streams an upload into the object store and, at the same time, into a local temp file that
 * the audio check reads. Counts bytes and fails with 413 the moment the limit is passed.
 */
export class TeeSink implements FileSink {
  private bytes = 0;
  private readonly hash = new UploadHash();
  private readonly toStore = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly toFile: WriteStream;
  private readonly abort = new AbortController();
  private readonly stored: Promise<ObjectInfo>;
  private readonly fileFailed: Promise<never>;
  /** Rejects as soon as either copy fails; created once, so it always has a handler. */
  private readonly failed: Promise<never>;

  constructor(
    private readonly store: ObjectStore,
    readonly key: string,
    readonly tempPath: string,
    private readonly maxBytes: number,
  ) {
    this.toFile = createWriteStream(tempPath);
    this.fileFailed = new Promise((_resolve, reject) => this.toFile.once('error', reject));
    this.fileFailed.catch(() => undefined);
    this.stored = store.put(key, this.toStore, { signal: this.abort.signal });
    this.stored.catch(() => undefined); // awaited in end(); this only silences the early rejection
    this.failed = new Promise<never>((_resolve, reject) => {
      this.stored.catch(reject);
      this.fileFailed.catch(reject);
    });
    this.failed.catch(() => undefined);
  }

  get size(): number {
    return this.bytes;
  }

  /** sha256 of what was written (read once the upload is complete). */
  get sha256(): string {
    return this.hash.sha256;
  }

  async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw payloadTooLarge(this.maxBytes);
    this.hash.update(chunk);
    const toStore = writeWithBackpressure(this.toStore, chunk, this.failed);
    const toFile = writeWithBackpressure(this.toFile, chunk, this.failed);
    // Both settle before the call returns: no write outlives a failure (e.g. a 413).
    const [store, file] = await Promise.allSettled([toStore, toFile]);
    if (store.status === 'rejected') throw store.reason;
    if (file.status === 'rejected') throw file.reason;
  }

  async end(): Promise<void> {
    this.toStore.end();
    this.toFile.end();
    await Promise.race([once(this.toFile, 'finish'), this.fileFailed]);
    await this.stored;
  }

  /** Stops both copies and removes whatever was written (the partial object and the temp file). */
  async discard(): Promise<void> {
    this.abort.abort(new Error('upload discarded'));
    this.toStore.destroy();
    this.toFile.destroy();
    await this.stored.catch(() => undefined);
    await this.store.delete(this.key).catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }
}
