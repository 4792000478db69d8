import { createHash } from 'node:crypto';
import { transcriptObjectKey } from '@diarization/jobs';
import type { ObjectStore } from '@diarization/storage';
import { MAX_TRANSCRIPT_BYTES, parseTranscript, TranscriptError, type Transcript, type TranscriptFormat } from '@diarization/transcripts';
import { badRequest, HttpError } from '../errors';
import type { FileSink } from './multipart';

/** A transcript as it arrived: a multipart file part, a form field or the JSON request's field. */
export interface ReceivedTranscript {
  text: string;
  filename: string | null;
  /** A JSON request's object is Whisper verbose_json whatever its name says. */
  format?: TranscriptFormat;
}

const tooLarge = (): HttpError => new HttpError(413, `the transcript is larger than ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB`);

/** Collects a transcript file part in memory, up to MAX_TRANSCRIPT_BYTES. */
export class TranscriptSink implements FileSink {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.bytes > MAX_TRANSCRIPT_BYTES) throw tooLarge();
    this.chunks.push(chunk);
  }

  async end(): Promise<void> {}

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A JSON request's `transcript`: the text of a file, or a Whisper verbose_json object. */
export function transcriptFromJson(value: string | Record<string, unknown> | undefined): ReceivedTranscript | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return { text: value, filename: null };
  return { text: JSON.stringify(value), filename: null, format: 'whisper_json' };
}

/** Parses a received transcript: 400 with what is wrong with it (line, field) when it cannot be read. */
export function readTranscript(received: ReceivedTranscript, format: TranscriptFormat | undefined): Transcript {
  if (Buffer.byteLength(received.text) > MAX_TRANSCRIPT_BYTES) throw tooLarge();
  try {
    return parseTranscript(received.text, { format: format ?? received.format, filename: received.filename });
  } catch (error) {
    if (error instanceof TranscriptError) throw badRequest(`transcript: ${error.message}`);
    throw error;
  }
}

/** What an Idempotency-Key binds of the transcript: its bytes. */
export function transcriptDigest(received: ReceivedTranscript | null): string | undefined {
  return received === null ? undefined : createHash('sha256').update(received.text).digest('hex');
}

/** Stores the parsed transcript beside the job's audio; answers its key. */
export async function storeTranscript(store: ObjectStore, jobId: string, transcript: Transcript): Promise<string> {
  const key = transcriptObjectKey(jobId);
  await store.put(key, JSON.stringify(transcript), { contentType: 'application/json' });
  return key;
}
