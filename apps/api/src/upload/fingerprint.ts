import { createHash, type Hash } from 'node:crypto';
import type { DiarizeOptionsInput } from '@diarization/jobs';
import { payloadTooLarge } from '../errors';
import type { FileSink } from './multipart';

/**
 * What an Idempotency-Key is bound to (the IETF draft's request fingerprint): the audio (its
 * bytes' sha256, or its URL), the transcript's sha256 when one was sent, and the options as
 * validated, so that "2" and 2 are the same request.
 */
export function requestFingerprint(audio: ({ sha256: string } | { url: string }) & { transcript?: string }, options: DiarizeOptionsInput): string {
  const sortedOptions = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify({ audio, options: sortedOptions })).digest('hex');
}

/** Hashes an upload while it streams by. */
export class UploadHash {
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }

  get sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}

/** A sink that only hashes (a replayed request's file, compared with the first one's). */
export class HashSink implements FileSink {
  private readonly hash = new UploadHash();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw payloadTooLarge(this.maxBytes);
    this.hash.update(chunk);
  }

  async end(): Promise<void> {}

  async discard(): Promise<void> {}

  get sha256(): string {
    return this.hash.sha256;
  }
}
