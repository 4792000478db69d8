import { randomUUID, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertPublicUrl,
  audioExtension,
  audioObjectKey,
  claimIdempotencyKey,
  diarizeOptionsSchema,
  legacyDiarizeOptionsSchema,
  enqueueDiarization,
  guardedRequest,
  toEngineOptions,
  UnsafeUrlError,
  urlJobRequestSchema,
  IdempotencyClaim,
  type DiarizeOptionsInput,
} from '@diarization/jobs';
import { MAX_TRANSCRIPT_BYTES } from '@diarization/transcripts';
import { isStorageUnavailable } from '@diarization/storage';
import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { badRequest, HttpError, payloadTooLarge } from './errors';
import { discardRest, readSmallBody, streamChunks } from './request-body';
import type { ApiServices } from './services';
import { HashSink, requestFingerprint } from './upload/fingerprint';
import { multipartBoundary, parseMultipart, type FileSink, type PartInfo } from './upload/multipart';
import { TeeSink } from './upload/tee-sink';
import { readTranscript, storeTranscript, transcriptDigest, transcriptFromJson, TranscriptSink, type ReceivedTranscript } from './upload/transcript';
import { parseJsonOrBadRequest, parseOrBadRequest } from './validation';
import { checkIdentify } from './voiceprint-check';

const MAX_JSON_BYTES = 64 * 1024;
/** A JSON request with a transcript in it: the transcript's limit and room for the rest. */
const MAX_JSON_WITH_TRANSCRIPT_BYTES = MAX_TRANSCRIPT_BYTES + MAX_JSON_BYTES;
/** Multipart parts that carry a transcript file, and the field that may repeat (identify=id1&identify=id2). */
const TRANSCRIPT_FIELD = 'transcript';
const REPEATABLE_FIELD = 'identify';
/** Room for the multipart framing and form fields around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
const IDEMPOTENCY_RETRY_AFTER_SECONDS = 1;

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
  /** What the Idempotency-Key is bound to (requestFingerprint). */
  fingerprint: string;
  transcript: ReceivedTranscript | null;
}


function looksLikeText(contentType: string | null): boolean {
  return contentType !== null && /^(text\/|application\/(json|xml|x-www-form-urlencoded)\b)/i.test(contentType);
}

/** The job an earlier request with the same Idempotency-Key created. */
interface EarlierJob {
  jobId: string;
  fingerprint?: string;
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
  const claim = await claimKey(c, services, owner, id);
  if (claim !== null && !(claim instanceof IdempotencyClaim)) {
    // A replay: the same key must come with the same request (IETF Idempotency-Key draft: 422).
    const fingerprint = await replayFingerprint(c, services, boundary, options);
    if (claim.fingerprint !== undefined && claim.fingerprint !== fingerprint) {
      throw new HttpError(422, 'this Idempotency-Key was used for a different request (another file, URL or options): send a new key for a new request');
    }
    return { id: claim.jobId, replayed: true };
  }

  let workDir: string | null = null;
  let sink: TeeSink | null = null;
  let fingerprint: string | undefined;
  let transcriptKey: string | null = null;
  try {
    workDir = await mkdtemp(join(tmpdir(), 'diarization-upload-'));
    const audio = boundary !== null ? await receiveMultipart(c, services, id, boundary, workDir, options) : await receiveFromUrl(c, services, id, workDir);
    sink = audio.sink;
    fingerprint = audio.fingerprint;
    // a bad transcript or an unknown voiceprint is refused before the audio is probed
    const transcript = audio.transcript === null ? null : readTranscript(audio.transcript, audio.options.transcript_format);
    await checkIdentify(services, owner, audio.options.identify);
    await services.audioValidator.check(sink.tempPath);
    await rm(sink.tempPath, { force: true });
    if (transcript !== null) transcriptKey = await storeTranscript(services.store, id, transcript);

    await services.records.create({
      id,
      owner,
      filename: audio.filename,
      audioKey: sink.key,
      // a transcript is attributed from the exclusive diarization, so the job returns that one
      options: { ...toEngineOptions(audio.options), ...(transcriptKey !== null ? { transcriptKey, exclusive: true } : {}) },
      webhookUrl: options.legacy ? null : (audio.options.webhook_url ?? null),
    });
    try {
      await enqueueDiarization(
        services.diarizeQueue,
        { jobId: id, audioKey: sink.key, extension: audioExtension(audio.filename) },
        services.jobPolicy,
      );
    } catch (error) {
      await services.records.remove(id).catch(() => undefined);
      throw error;
    }
    // Queued. Should this fail, or the process die before it, a worker queues the job from its
    // record (relaySubmitOutbox), which is harmless: the queue keeps one job per id.
    await services.records.confirmQueued(id).catch(() => undefined);
  } catch (error) {
    await sink?.discard();
    if (transcriptKey !== null) await services.store.delete(transcriptKey).catch(() => undefined);
    // Let the client retry with the same key after a refused submission.
    await claim?.release().catch(() => undefined);
    throw error;
  } finally {
    if (workDir !== null) await rm(workDir, { recursive: true, force: true });
  }
  // The job exists from here on: failing to record the key must not undo it (the pending
  // marker then expires within a minute).
  await claim?.complete(services.config.retention.jobTtlSeconds, fingerprint).catch((error: unknown) => {
    services.logger.warn('could not record the Idempotency-Key of a queued job', { job_id: id, error });
  });
  services.logger.info('job queued', { job_id: id, bytes: sink.size, source: boundary !== null ? 'upload' : 'url' });
  return { id, replayed: false };
}

/**
 * Claims the request's Idempotency-Key for the job `id`: null without a key, the earlier job's
 * id when the key was used before. A duplicate that arrives while the first request is still
 * uploading gets 409 with Retry-After (as the IETF Idempotency-Key draft says) rather than
 * waiting: an upload can take minutes, and the first request may still be refused, in which
 * case the duplicate's retry must be free to create the job itself.
 */
async function claimKey(c: Context<AppEnv>, services: ApiServices, owner: string, id: string): Promise<IdempotencyClaim | EarlierJob | null> {
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey === undefined) return null;
  if (idempotencyKey.length === 0 || idempotencyKey.length > 255) throw badRequest('Idempotency-Key must be 1 to 255 characters');
  const keyHash = createHash('sha256').update(idempotencyKey).digest('hex');
  const outcome = await claimIdempotencyKey(services.redis, services.keys.idempotency(owner, keyHash), id, async (earlier) => (await services.records.get(earlier)) !== null);
  if (outcome.state === 'done') return { jobId: outcome.jobId, fingerprint: outcome.fingerprint };
  if (outcome.state === 'pending') {
    throw new HttpError(409, 'a request with this Idempotency-Key is still being processed; retry shortly to get its job', {
      'Retry-After': String(IDEMPOTENCY_RETRY_AFTER_SECONDS),
    });
  }
  return outcome.claim;
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
  const { sink, filename, options: parsed, transcript } = await readMultipart(
    c,
    services,
    boundary,
    options,
    (part) => new TeeSink(services.store, audioObjectKey(id), join(workDir, `upload${audioExtension(part.filename)}`), maxBytes),
  );
  try {
    if (!options.legacy) await checkWebhookUrl(services, parsed.webhook_url);
  } catch (error) {
    await sink.discard();
    throw error;
  }
  return { sink, filename, options: parsed, transcript, fingerprint: requestFingerprint({ sha256: sink.sha256, transcript: transcriptDigest(transcript) }, parsed) };
}

/** The fingerprint of a replayed request: its file is hashed as it streams by, and stored nowhere. */
async function replayFingerprint(c: Context<AppEnv>, services: ApiServices, boundary: string | null, options: SubmitOptions): Promise<string> {
  if (boundary === null) {
    const { audio_url: url, transcript, ...rest } = parseJsonOrBadRequest(urlJobRequestSchema, await readSmallBody(c.req.raw.body, MAX_JSON_WITH_TRANSCRIPT_BYTES));
    return requestFingerprint({ url, transcript: transcriptDigest(transcriptFromJson(transcript)) }, rest);
  }
  const { sink, options: parsed, transcript } = await readMultipart(c, services, boundary, options, () => new HashSink(services.config.maxUploadBytes));
  return requestFingerprint({ sha256: sink.sha256, transcript: transcriptDigest(transcript) }, parsed);
}

/** Reads a multipart body: the file into the sink `makeSink` gives, and the validated options. */
async function readMultipart<Sink extends FileSink & { discard(): Promise<void> }>(
  c: Context<AppEnv>,
  services: ApiServices,
  boundary: string,
  options: SubmitOptions,
  makeSink: (part: PartInfo) => Sink,
): Promise<{ sink: Sink; filename: string | null; options: DiarizeOptionsInput; transcript: ReceivedTranscript | null }> {
  const maxBytes = services.config.maxUploadBytes;
  const declared = Number(c.req.header('content-length') ?? 'NaN');
  const transcriptAllowance = options.legacy ? 0 : MAX_TRANSCRIPT_BYTES;
  // Far too large: refuse before reading (the connection closes after the answer).
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES + transcriptAllowance) throw payloadTooLarge(maxBytes);

  const fields = new Map<string, string | string[]>();
  let sink: Sink | null = null;
  let filename: string | null = null;
  let transcriptPart: { sink: TranscriptSink; filename: string | null } | null = null;
  try {
    await parseMultipart(streamChunks(c.req.raw.body), boundary, {
      onField: (name, value) => {
        const earlier = fields.get(name);
        if (name === REPEATABLE_FIELD && !options.legacy) {
          fields.set(name, earlier === undefined ? [value] : [...earlier, value]);
          return;
        }
        if (earlier !== undefined) throw badRequest(`the field "${name}" was sent twice`);
        fields.set(name, value);
      },
      onFile: (part: PartInfo) => {
        if (part.name === TRANSCRIPT_FIELD && !options.legacy) {
          if (transcriptPart !== null) throw badRequest('send one transcript per request');
          transcriptPart = { sink: new TranscriptSink(), filename: part.filename };
          return transcriptPart.sink;
        }
        if (part.name !== 'file') throw badRequest(`unexpected file field "${part.name}": send the audio as the field "file"`);
        if (sink !== null) throw badRequest('send one file per request');
        if (looksLikeText(part.contentType)) throw new HttpError(415, `the uploaded file is ${part.contentType}, not audio`);
        filename = part.filename;
        sink = makeSink(part);
        return sink;
      },
    });
    const received = sink as Sink | null;
    if (received === null) throw badRequest('no audio: send the file as the multipart field "file"');

    // a small transcript may come as a plain form field too
    const textTranscript = fields.get(TRANSCRIPT_FIELD);
    fields.delete(TRANSCRIPT_FIELD);
    const filePart = transcriptPart as { sink: TranscriptSink; filename: string | null } | null;
    if (filePart !== null && textTranscript !== undefined) throw badRequest('send the transcript once: as a file or as a field, not both');
    const transcript: ReceivedTranscript | null =
      filePart !== null ? { text: filePart.sink.text, filename: filePart.filename } : typeof textTranscript === 'string' ? { text: textTranscript, filename: null } : null;

    const optionsSchema = options.legacy ? legacyDiarizeOptionsSchema : diarizeOptionsSchema;
    return { sink: received, filename, options: parseOrBadRequest(optionsSchema, Object.fromEntries(fields)), transcript: options.legacy ? null : transcript };
  } catch (error) {
    await (sink as Sink | null)?.discard();
    await discardRest(c.req.raw.body);
    throw error;
  }
}

async function receiveFromUrl(c: Context<AppEnv>, services: ApiServices, id: string, workDir: string): Promise<IngestedAudio> {
  const { audio_url: audioUrl, transcript: transcriptField, ...rest } = parseJsonOrBadRequest(urlJobRequestSchema, await readSmallBody(c.req.raw.body, MAX_JSON_WITH_TRANSCRIPT_BYTES));
  const transcript = transcriptFromJson(transcriptField);
  // a bad transcript is refused before anything is downloaded
  if (transcript !== null) readTranscript(transcript, rest.transcript_format);
  await checkWebhookUrl(services, rest.webhook_url);
  const { allowPrivateUrls, maxUploadBytes, audioUrlTimeoutMs } = services.config;
  const url = await asBadRequest(assertPublicUrl(audioUrl, { allowPrivate: allowPrivateUrls, label: 'audio_url' }));
  const filename = url.pathname.split('/').pop() ?? null;
  const sink = new TeeSink(services.store, audioObjectKey(id), join(workDir, `download${audioExtension(filename)}`), maxUploadBytes);
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
    return { sink, filename, options: rest, transcript, fingerprint: requestFingerprint({ url: audioUrl, transcript: transcriptDigest(transcript) }, rest) };
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
