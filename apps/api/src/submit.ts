import { randomUUID, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import {
  assertPublicUrl,
  audioObjectKey,
  diarizeOptionsSchema,
  enqueueDiarization,
  guardedRequest,
  toEngineOptions,
  UnsafeUrlError,
  urlJobRequestSchema,
  type DiarizeOptionsInput,
} from '@diarization/jobs';
import { isStorageUnavailable } from '@diarization/storage';
import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { badRequest, HttpError, payloadTooLarge } from './errors';
import { discardRest, readSmallBody, streamChunks } from './request-body';
import type { ApiServices } from './services';
import { multipartBoundary, parseMultipart, type PartInfo } from './upload/multipart';
import { TeeSink } from './upload/tee-sink';
import { parseOrBadRequest } from './validation';

const MAX_JSON_BYTES = 64 * 1024;
/** Room for the multipart framing and form fields around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
const OPTION_FIELDS = ['num_speakers', 'min_speakers', 'max_speakers', 'exclusive', 'webhook_url'];

export interface SubmitOptions {
  /** POST /jobs accepts webhook_url and refuses unknown fields; the legacy call ignores them. */
  legacy: boolean;
}

export interface Submission {
  id: string;
  /** True when an Idempotency-Key matched an earlier submission. */
  replayed: boolean;
}

interface IngestedAudio {
  sink: TeeSink;
  filename: string | null;
  options: DiarizeOptionsInput;
}

function safeExtension(name: string | null): string {
  const extension = name === null ? '' : extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(extension) ? extension : '';
}

function looksLikeText(contentType: string | null): boolean {
  return contentType !== null && /^(text\/|application\/(json|xml|x-www-form-urlencoded)\b)/i.test(contentType);
}

/** Creates a job from a multipart upload or a JSON `audio_url` request; answers its id. */
export async function submitJob(c: Context<AppEnv>, services: ApiServices, options: SubmitOptions): Promise<Submission> {
  const contentType = c.req.header('content-type');
  const boundary = multipartBoundary(contentType);
  const isJson = contentType !== undefined && /^application\/json\b/i.test(contentType);
  if (boundary === null && !isJson) {
    throw new HttpError(
      415,
      options.legacy
        ? 'send the audio as multipart/form-data with the field "file"'
        : 'send the audio as multipart/form-data (field "file") or JSON {"audio_url": "..."}',
    );
  }
  if (isJson && options.legacy) throw new HttpError(415, 'POST /diarize takes multipart/form-data with the field "file"');

  // Redis first: with it down nothing can be queued, so refuse before reading any upload.
  await services.redis.ping();

  const owner = c.get('owner');
  const id = randomUUID();
  const idempotencyKey = c.req.header('idempotency-key');
  let idempotencyRedisKey: string | null = null;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey.length === 0 || idempotencyKey.length > 255) throw badRequest('Idempotency-Key must be 1 to 255 characters');
    const keyHash = createHash('sha256').update(idempotencyKey).digest('hex');
    idempotencyRedisKey = services.keys.idempotency(owner, keyHash);
    const claimed = await services.redis.set(idempotencyRedisKey, id, 'EX', services.config.retention.jobTtlSeconds, 'NX');
    if (claimed === null) {
      const existing = await services.redis.get(idempotencyRedisKey);
      if (existing !== null) return { id: existing, replayed: true };
    }
  }

  const workDir = await mkdtemp(join(tmpdir(), 'diarization-upload-'));
  let sink: TeeSink | null = null;
  try {
    const audio = boundary !== null ? await receiveMultipart(c, services, id, boundary, workDir, options) : await receiveFromUrl(c, services, id, workDir);
    sink = audio.sink;
    await services.audioValidator.check(sink.tempPath);
    await rm(sink.tempPath, { force: true });

    await services.records.create({
      id,
      owner,
      filename: audio.filename,
      audioKey: sink.key,
      options: toEngineOptions(audio.options),
      webhookUrl: options.legacy ? null : (audio.options.webhook_url ?? null),
    });
    try {
      await enqueueDiarization(
        services.diarizeQueue,
        { jobId: id, audioKey: sink.key, extension: safeExtension(audio.filename), options: toEngineOptions(audio.options) },
        services.jobPolicy,
      );
    } catch (error) {
      await services.records.remove(id).catch(() => undefined);
      throw error;
    }
    services.logger.info('job queued', { job_id: id, bytes: sink.size, source: boundary !== null ? 'upload' : 'url' });
    return { id, replayed: false };
  } catch (error) {
    await sink?.discard();
    if (idempotencyRedisKey !== null) {
      // Let the client retry with the same key after a refused submission.
      const current = await services.redis.get(idempotencyRedisKey).catch(() => null);
      if (current === id) await services.redis.del(idempotencyRedisKey).catch(() => undefined);
    }
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function checkWebhookUrl(services: ApiServices, url: string | undefined): Promise<void> {
  if (url === undefined) return;
  if (services.config.webhooks.secret === undefined) {
    throw badRequest('webhook_url needs the server to have WEBHOOK_SECRET set (webhooks are signed)');
  }
  await asBadRequest(assertPublicUrl(url, { allowPrivate: services.config.allowPrivateUrls, label: 'webhook_url' }));
}

async function asBadRequest<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw badRequest(error.message);
    throw error;
  }
}

async function receiveMultipart(
  c: Context<AppEnv>,
  services: ApiServices,
  id: string,
  boundary: string,
  workDir: string,
  options: SubmitOptions,
): Promise<IngestedAudio> {
  const maxBytes = services.config.maxUploadBytes;
  const declared = Number(c.req.header('content-length') ?? 'NaN');
  // Far too large: refuse before reading (the connection closes after the answer).
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw payloadTooLarge(maxBytes);

  const fields = new Map<string, string>();
  let sink: TeeSink | null = null;
  let filename: string | null = null;
  try {
    await parseMultipart(streamChunks(c.req.raw.body), boundary, {
      onField: (name, value) => {
        if (fields.has(name)) throw badRequest(`the field "${name}" was sent twice`);
        fields.set(name, value);
      },
      onFile: (part: PartInfo) => {
        if (part.name !== 'file') throw badRequest(`unexpected file field "${part.name}": send the audio as the field "file"`);
        if (sink !== null) throw badRequest('send one file per request');
        if (looksLikeText(part.contentType)) throw new HttpError(415, `the uploaded file is ${part.contentType}, not audio`);
        filename = part.filename;
        sink = new TeeSink(services.store, audioObjectKey(id), join(workDir, `upload${safeExtension(part.filename)}`), maxBytes);
        return sink;
      },
    });
    const received = sink as TeeSink | null;
    if (received === null) throw badRequest('no audio: send the file as the multipart field "file"');
    if (received.size === 0) throw new HttpError(422, 'the file is not decodable audio: the file is empty');

    const optionInput = Object.fromEntries(
      options.legacy ? [...fields].filter(([name]) => OPTION_FIELDS.includes(name) && name !== 'webhook_url') : fields,
    );
    const parsed = parseOrBadRequest(diarizeOptionsSchema, optionInput);
    if (!options.legacy) await checkWebhookUrl(services, parsed.webhook_url);
    return { sink: received, filename, options: parsed };
  } catch (error) {
    await (sink as TeeSink | null)?.discard();
    await discardRest(c.req.raw.body);
    throw error;
  }
}

async function receiveFromUrl(c: Context<AppEnv>, services: ApiServices, id: string, workDir: string): Promise<IngestedAudio> {
  const text = await readSmallBody(c.req.raw.body, MAX_JSON_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  const request = parseOrBadRequest(urlJobRequestSchema, json);
  const { audio_url: audioUrl, ...rest } = request;
  await checkWebhookUrl(services, rest.webhook_url);
  const { allowPrivateUrls, maxUploadBytes, audioUrlTimeoutMs } = services.config;
  const url = await asBadRequest(assertPublicUrl(audioUrl, { allowPrivate: allowPrivateUrls, label: 'audio_url' }));
  const filename = url.pathname.split('/').pop() ?? null;
  const sink = new TeeSink(services.store, audioObjectKey(id), join(workDir, `download${safeExtension(filename)}`), maxUploadBytes);
  try {
    const signal = AbortSignal.timeout(audioUrlTimeoutMs);
    const response = await asBadRequest(guardedRequest(audioUrl, { allowPrivate: allowPrivateUrls, label: 'audio_url', maxRedirects: 5, signal }));
    if (response.status < 200 || response.status > 299) {
      response.body.resume();
      throw new HttpError(422, `audio_url could not be downloaded: the server answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers['content-length'] ?? 'NaN');
    if (Number.isFinite(declared) && declared > maxUploadBytes) {
      response.body.destroy();
      throw payloadTooLarge(maxUploadBytes);
    }
    for await (const chunk of response.body) await sink.write(chunk as Buffer);
    await sink.end();
    if (sink.size === 0) throw new HttpError(422, 'the file is not decodable audio: the download is empty');
    return { sink, filename, options: rest };
  } catch (error) {
    await sink.discard();
    if (error instanceof HttpError || isStorageUnavailable(error)) throw error;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new HttpError(422, `audio_url could not be downloaded within ${audioUrlTimeoutMs / 1000} s (AUDIO_URL_TIMEOUT_SECONDS)`);
    }
    if (error instanceof UnsafeUrlError) throw badRequest(error.message);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(422, `audio_url could not be downloaded: ${reason}`);
  }
}
