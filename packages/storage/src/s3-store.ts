import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageConfig } from '@diarization/config';
import { pipeline, Readable, Transform } from 'node:stream';
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

/** The S3 part of the service configuration, plus a per-request timeout (the SDK retries transient failures on its own). */
export type S3StoreOptions = Omit<Extract<StorageConfig, { kind: 's3' }>, 'kind'> & { requestTimeoutMs?: number };

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
    const { signal } = options;
    signal?.throwIfAborted();
    let size = 0;
    let uploadBody: Readable | Buffer;
    let stopBody: (reason: unknown) => void = () => undefined;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      uploadBody = Buffer.from(body);
      size = uploadBody.length;
    } else {
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      // A failing or prematurely closed source destroys `counter`, which fails the upload.
      pipeline(body, counter, () => undefined);
      uploadBody = counter;
      stopBody = (reason) => counter.destroy(reason instanceof Error ? reason : new Error('upload aborted'));
    }
    // Not upload.abort(): that makes done() reject at once while a PutObject or UploadPart
    // request is still in flight, which can then create the object after our delete below.
    // Failing the body instead lets done() settle only once every request has finished and
    // lib-storage has aborted the multipart upload, so the delete that follows is final.
    const onAbort = (): void => stopBody(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: uploadBody, ContentType: options.contentType },
        partSize: PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
      signal?.throwIfAborted();
      return { size };
    } catch (error) {
      // The last request may have completed before the abort: leave nothing behind.
      await this.delete(key).catch(() => undefined);
      if (signal?.aborted) throw signal.reason;
      throw asUnavailable(error, `writing ${key}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
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

  async *list(prefix: string): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (error) {
        throw asUnavailable(error, `listing ${prefix}`);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        // No date: treat it as just written, so that nothing is deleted on a guess.
        yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date() };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /**
   * Aborts multipart uploads started before `startedBefore` (a process killed mid-upload leaves
   * its parts, billed and invisible, until then). Stores without ListMultipartUploads count 0.
   */
  async removeStaleUploads({ startedBefore }: StaleUploadCutoff): Promise<number> {
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
      } catch (error) {
        const name = (error as { name?: string } | undefined)?.name;
        if (name === 'NotImplemented' || statusOf(error) === 501) return removed;
        throw asUnavailable(error, 'listing multipart uploads');
      }
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined) continue;
        if (upload.Initiated === undefined || upload.Initiated >= startedBefore) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
          removed++;
        } catch (error) {
          if (!isNotFound(error) && (error as { name?: string }).name !== 'NoSuchUpload') throw asUnavailable(error, `aborting an upload of ${upload.Key}`);
        }
      }
      if (page.IsTruncated !== true) return removed;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
