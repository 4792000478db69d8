import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VOICE_CLIP_MAX_SECONDS } from '@diarization/engine/io';
import {
  audioExtension,
  enqueueEnrollment,
  httpStatusForJobError,
  MAX_VOICEPRINTS_PER_OWNER,
  readSpeakerCentroids,
  voiceClipObjectKey,
  voiceprintLabelSchema,
  VoiceprintStore,
  type Voiceprint,
} from '@diarization/jobs';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { badRequest, HttpError } from '../errors';
import { AUTHENTICATED, createRouter, errorResponses, json, streamedBody } from '../openapi/router';
import { discardRest, readSmallBody, streamChunks } from '../request-body';
import type { ApiServices } from '../services';
import { EngineAudioValidator } from '../upload/audio-check';
import { multipartBoundary, parseMultipart, type PartInfo } from '../upload/multipart';
import { TeeSink } from '../upload/tee-sink';
import { parseJsonOrBadRequest, parseOrBadRequest } from '../validation';

/** A clip of up to 30 s is a few MB in any sane format; more is not a voice clip. */
const MAX_CLIP_BYTES = 50 * 1024 * 1024;
const MAX_JSON_BYTES = 16 * 1024;
/** How often a POST waiting for its clip's embedding looks whether the worker is done. */
const ENROLLMENT_POLL_MS = 200;

const voiceprintPath = (id: string): string => `/voiceprints/${id}`;
const notFound = (): HttpError => new HttpError(404, 'no such voiceprint (it may have been deleted, or belong to another token)');

const sourceSchema = z.union([
  z.object({ kind: z.literal('clip'), speech_seconds: z.number() }),
  z.object({ kind: z.literal('job'), job_id: z.string(), speaker: z.string() }),
]);

const voiceprintViewSchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    label: z.string(),
    model: z.string().openapi({ description: 'The embedding model that made it (`id@sha256-prefix`); jobs using another model refuse it.', example: 'openvoice-refenc@1a2b3c4d' }),
    created_at: z.string(),
    source: sourceSchema,
    embedding: z.array(z.number()).optional().openapi({ description: 'The speaker embedding (GET /voiceprints/{id} only).' }),
  })
  .openapi('Voiceprint');

const pendingSchema = z.object({ id: z.string(), status: z.literal('pending'), links: z.object({ self: z.string() }) }).openapi('PendingVoiceprint');

const fromJobRequestSchema = z
  .object({
    label: voiceprintLabelSchema,
    job_id: z.string().uuid({ error: 'is not a job id' }),
    speaker: z.string().min(1).max(64),
  })
  .strict()
  .openapi('VoiceprintFromJobRequest');

const clipRequestDocSchema = z
  .object({
    label: z.string().openapi({ description: 'A name for the voice (at most 100 characters).' }),
    file: z.string().openapi({ format: 'binary', description: `An audio clip of up to ${VOICE_CLIP_MAX_SECONDS} s with one dominant speaker.` }),
  })
  .openapi('VoiceprintClipRequest');

const voiceprintParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });

function view(voiceprint: Voiceprint, withEmbedding: boolean): z.output<typeof voiceprintViewSchema> {
  const { id, label, model, created_at, source, embedding } = voiceprint;
  return { id, label, model, created_at, source, ...(withEmbedding ? { embedding } : {}) };
}

const createRouteDef = (router: OpenAPIHono<AppEnv>) =>
  createRoute({
    method: 'post',
    path: '/voiceprints',
    tags: ['Voiceprints'],
    summary: 'Enroll a known voice',
    description:
      `From a clip (multipart: \`label\` and \`file\`, up to ${VOICE_CLIP_MAX_SECONDS} s, embedded by a worker: 201 when done within SYNC_TIMEOUT_SECONDS, else 202 with Location to poll), ` +
      "or from a finished job's speaker (JSON `{label, job_id, speaker}`, 201 at once). Jobs then name it with `identify`.",
    request: {
      body: streamedBody(
        router,
        {
          'multipart/form-data': { name: 'VoiceprintClipRequest', schema: clipRequestDocSchema },
          'application/json': { name: 'VoiceprintFromJobRequest', schema: fromJobRequestSchema },
        },
        'A clip and its label, or a job speaker and its label.',
      ),
    },
    responses: {
      201: { ...json(voiceprintViewSchema, 'The voiceprint.'), headers: { Location: { description: 'The voiceprint.', schema: { type: 'string' } } } },
      202: { ...json(pendingSchema, 'The clip is still being embedded: poll Location.'), headers: { Location: { description: 'Poll it.', schema: { type: 'string' } } } },
      ...errorResponses([400, 404, 409, 413, 415, 422, ...AUTHENTICATED], {
        404: 'No such job (for a voiceprint from a job).',
        409: `The job has no result yet, or the token already has ${MAX_VOICEPRINTS_PER_OWNER} voiceprints.`,
        422: 'The clip is not audio, longer than the limit, or holds too little speech.',
      }),
    },
  });

const listRouteDef = createRoute({
  method: 'get',
  path: '/voiceprints',
  tags: ['Voiceprints'],
  summary: "The caller's voiceprints",
  responses: {
    200: json(z.object({ voiceprints: z.array(voiceprintViewSchema) }).openapi('VoiceprintList'), 'Oldest first, without embeddings.'),
    ...errorResponses([...AUTHENTICATED]),
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/voiceprints/{id}',
  tags: ['Voiceprints'],
  summary: 'A voiceprint, with its embedding',
  request: { params: voiceprintParams },
  responses: {
    200: json(voiceprintViewSchema, 'The voiceprint.'),
    202: json(pendingSchema, 'Its clip is still being embedded.'),
    ...errorResponses([404, 422, ...AUTHENTICATED], { 404: 'No such voiceprint.', 422: 'Its clip could not be enrolled: the message says why.' }),
  },
});

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/voiceprints/{id}',
  tags: ['Voiceprints'],
  summary: 'Delete a voiceprint',
  description: 'Jobs already queued that name it skip it.',
  request: { params: voiceprintParams },
  responses: {
    204: { description: 'Deleted.' },
    ...errorResponses([404, ...AUTHENTICATED], { 404: 'No such voiceprint.' }),
  },
});

/** POST/GET/DELETE /voiceprints: known voices per token (packages/jobs/src/voiceprints.ts). */
export function voiceprintRoutes(services: ApiServices): OpenAPIHono<AppEnv> {
  const router = createRouter();
  const voiceprints = new VoiceprintStore(services.redis, services.keys);

  /** A voiceprint, pending enrollment (202) or failed one (its error); 404 for anything not the caller's. */
  const answerFor = async <S extends 200 | 201>(c: Context<AppEnv>, id: string, status: S) => {
    const owner = c.get('owner');
    const voiceprint = await voiceprints.get(owner, id);
    if (voiceprint !== null) {
      c.header('Location', voiceprintPath(id));
      return c.json(view(voiceprint, true), status);
    }
    const enrollment = await voiceprints.enrollment(id);
    if (enrollment === null || enrollment.owner !== owner) throw notFound();
    if (enrollment.status === 'failed' && enrollment.error) {
      const code = httpStatusForJobError(enrollment.error);
      throw new HttpError(code === 500 ? 500 : 422, `the clip could not be enrolled: ${enrollment.error.message}`);
    }
    c.header('Location', voiceprintPath(id));
    return c.json({ id, status: 'pending' as const, links: { self: voiceprintPath(id) } }, 202);
  };

  router.openapi(createRouteDef(router), async (c) => {
    const contentType = c.req.header('content-type');
    const owner = c.get('owner');
    const boundary = multipartBoundary(contentType);
    const isJson = contentType !== undefined && /^application\/json\b/i.test(contentType);
    if (boundary === null && !isJson) {
      throw new HttpError(415, 'send multipart/form-data (fields "label" and "file") or JSON {"label", "job_id", "speaker"}');
    }
    if ((await voiceprints.count(owner)) >= MAX_VOICEPRINTS_PER_OWNER) {
      if (boundary !== null) await discardRest(c.req.raw.body);
      throw new HttpError(409, `this token already has ${MAX_VOICEPRINTS_PER_OWNER} voiceprints, the most it may keep: delete some first`);
    }
    if (isJson) {
      const request = parseJsonOrBadRequest(fromJobRequestSchema, await readSmallBody(c.req.raw.body, MAX_JSON_BYTES));
      const voiceprint = await fromJobSpeaker(services, owner, request);
      await voiceprints.add(owner, voiceprint);
      services.logger.info('voiceprint created from a job', { voiceprint_id: voiceprint.id, job_id: request.job_id });
      c.header('Location', voiceprintPath(voiceprint.id));
      return c.json(view(voiceprint, true), 201);
    }

    const id = randomUUID();
    const clip = await receiveClip(c, services, id, boundary!);
    await voiceprints.startEnrollment(id, owner);
    try {
      await enqueueEnrollment(services.diarizeQueue, { voiceprintId: id, owner, label: clip.label, clipKey: clip.key, extension: clip.extension }, services.jobPolicy);
    } catch (error) {
      await voiceprints.forgetEnrollment(id).catch(() => undefined);
      await services.store.delete(clip.key).catch(() => undefined);
      throw error;
    }
    services.logger.info('voiceprint enrollment queued', { voiceprint_id: id });
    await waitForEnrollment(voiceprints, owner, id, services.config.syncTimeoutMs, c.req.raw.signal);
    return answerFor(c, id, 201);
  });

  router.openapi(listRouteDef, async (c) => c.json({ voiceprints: (await voiceprints.list(c.get('owner'))).map((voiceprint) => view(voiceprint, false)) }, 200));

  router.openapi(getRouteDef, async (c) => answerFor(c, c.req.valid('param').id, 200));

  router.openapi(deleteRouteDef, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await voiceprints.remove(c.get('owner'), id))) throw notFound();
    services.logger.info('voiceprint deleted', { voiceprint_id: id });
    return c.body(null, 204);
  });

  return router;
}

/** A voiceprint from a finished job's speaker: the centroid kept with the job's result. */
async function fromJobSpeaker(services: ApiServices, owner: string, request: z.output<typeof fromJobRequestSchema>): Promise<Voiceprint> {
  const record = await services.records.get(request.job_id);
  if (record === null || record.owner !== owner) throw new HttpError(404, 'no such job (it may have expired, or belong to another token)');
  if (record.status !== 'succeeded' || record.resultKey === null) throw new HttpError(409, `the job has no result: its status is ${record.status}`);
  const centroids = await readSpeakerCentroids(services.store, record.resultKey);
  if (centroids === null) throw new HttpError(409, "the job's result holds no speaker embeddings (it is gone, or older than voiceprints): enroll a clip instead");
  const vector = centroids.vectors.find((entry) => entry.speaker === request.speaker);
  if (vector === undefined) {
    const speakers = centroids.vectors.map((entry) => entry.speaker).join(', ') || 'none';
    throw badRequest(`speaker: the job has no speaker "${request.speaker}" (its speakers: ${speakers})`);
  }
  return {
    id: randomUUID(),
    label: request.label,
    model: centroids.model,
    embedding: vector.embedding,
    created_at: new Date().toISOString(),
    source: { kind: 'job', job_id: request.job_id, speaker: request.speaker },
  };
}

/** Reads the multipart clip into storage, checked like a job's audio but against the clip limit. */
async function receiveClip(c: Context<AppEnv>, services: ApiServices, id: string, boundary: string): Promise<{ key: string; label: string; extension: string }> {
  const maxBytes = Math.min(MAX_CLIP_BYTES, services.config.maxUploadBytes);
  const workDir = await mkdtemp(join(tmpdir(), 'diarization-upload-'));
  let sink: TeeSink | null = null;
  let label: unknown;
  let extension = '';
  try {
    await parseMultipart(streamChunks(c.req.raw.body), boundary, {
      onField: (name, value) => {
        if (name !== 'label') throw badRequest(`unknown field "${name}": send "label" and "file"`);
        if (label !== undefined) throw badRequest('the field "label" was sent twice');
        label = value;
      },
      onFile: (part: PartInfo) => {
        if (part.name !== 'file') throw badRequest(`unexpected file field "${part.name}": send the clip as the field "file"`);
        if (sink !== null) throw badRequest('send one clip per request');
        extension = audioExtension(part.filename);
        sink = new TeeSink(services.store, voiceClipObjectKey(id), join(workDir, `clip${extension}`), maxBytes);
        return sink;
      },
    });
    const received = sink as TeeSink | null;
    if (received === null) throw badRequest('no clip: send the audio as the multipart field "file"');
    const parsedLabel = parseOrBadRequest(voiceprintLabelSchema, label ?? '');
    await new EngineAudioValidator({
      maxDurationSeconds: VOICE_CLIP_MAX_SECONDS,
      ffmpegPath: services.config.ffmpegPath,
      onServerProblem: (problem) => services.logger.error(problem),
    }).check(received.tempPath);
    return { key: received.key, label: parsedLabel, extension };
  } catch (error) {
    await (sink as TeeSink | null)?.discard();
    await discardRest(c.req.raw.body);
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Waits until the worker made the voiceprint or gave up, the time is over, or the client left. */
async function waitForEnrollment(store: VoiceprintStore, owner: string, id: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal.aborted) {
    if ((await store.get(owner, id)) !== null) return;
    if ((await store.enrollment(id))?.status !== 'pending') return;
    await new Promise((resolve) => setTimeout(resolve, ENROLLMENT_POLL_MS));
  }
}
