import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import {
  assertValidKey,
  ObjectNotFoundError,
  StorageUnavailableError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
} from './object-store';

export interface S3StoreOptions {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Per-request timeout; the SDK retries transient failures on its own. */
  requestTimeoutMs?: number;
}

/** Multipart part size: what lib-storage buffers per part (queueSize parts at most). */
const PART_SIZE = 8 * 1024 * 1024;
const PING_TIMEOUT_MS = 3000;

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}

/** Network failures and 5xx answers mean the store is down, not that the request was wrong. */
function asUnavailable(error: unknown, what: string): unknown {
  const status = statusOf(error);
  if (status !== undefined && status < 500) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageUnavailableError(`S3 storage is unavailable (${what}): ${reason}`, { cause: error });
}

/** Objects in one S3 bucket (AWS, MinIO, s3rver...), uploads streamed in parts. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly endpoint: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.endpoint = options.endpoint;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId !== undefined && options.secretAccessKey !== undefined
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5000, requestTimeout: options.requestTimeoutMs ?? 120_000 },
    });
  }

  get description(): string {
    return `s3://${this.bucket} at ${this.endpoint}`;
  }

  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNotFound(error)) throw asUnavailable(error, 'checking the bucket');
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      // Another process created it in the meantime.
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw asUnavailable(error, 'creating the bucket');
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StorageUnavailableError(`S3 bucket ${this.bucket} at ${this.endpoint} did not answer: ${reason}`, { cause: error });
    }
  }

  async put(key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    let size = 0;
    let uploadBody: Readable | Buffer;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      uploadBody = Buffer.from(body);
      size = uploadBody.length;
    } else {
      const counter = new PassThrough();
      counter.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      body.on('error', (error) => counter.destroy(error));
      uploadBody = body.pipe(counter);
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: uploadBody, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const abort = (): void => {
      void upload.abort().catch(() => undefined);
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      await upload.done();
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      return { size };
    } catch (error) {
      // A single-part upload may have landed before the abort: leave nothing behind.
      await this.delete(key).catch(() => undefined);
      throw options.signal?.aborted ? error : asUnavailable(error, `writing ${key}`);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(response.Body instanceof Readable)) throw new Error(`unexpected body type for ${key}`);
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw asUnavailable(error, `reading ${key}`);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: response.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw asUnavailable(error, `checking ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw asUnavailable(error, `deleting ${key}`);
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
