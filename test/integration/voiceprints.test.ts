import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createRedis, hashToken, RedisKeys, removeHeartbeat, VoiceprintStore, writeHeartbeat } from '@diarization/jobs';
import { longAudio, SAMPLE_WAV } from '../support/audio';
import { audioForm, call as plainCall, waitForJob } from '../support/http';
import { OpenApiMatcher } from '../support/openapi-matcher';
import { startStack, TOKEN_A, TOKEN_B, type Stack } from '../support/stack';
import { whisperJson } from '../support/stm-transcript';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/** A stretch of the sample (pyannote_sample.stm: Sheila alone from 21.9 s to 28.4 s). */
function clip(dir: string, name: string, from: number, to: number): string {
  const out = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-ss', String(from), '-to', String(to), '-i', SAMPLE_WAV, out]);
  return out;
}

interface VoiceprintBody {
  id: string;
  label: string;
  model: string;
  embedding?: number[];
  source: Record<string, unknown>;
}

interface Identification {
  speaker: string;
  voiceprint: { id: string; label: string; score: number } | null;
}

describe('voiceprints and identification through the API (Redis, S3, worker, real models)', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  let fromClip: VoiceprintBody;
  let fromJob: VoiceprintBody;
  let firstJob: string;

  let call = plainCall;

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 's3', env: { SYNC_TIMEOUT_SECONDS: '60' } });
    api = stack.api.url;
    // every answer of this suite is also checked against /openapi.json
    call = (await OpenApiMatcher.fromService(api)).checkedCall();
    await stack.startWorker();
  });

  afterAll(async () => {
    await stack?.stop();
    tmp?.remove();
  });

  it('enrolls a voice from a clip: a worker embeds it, the POST answers 201 with the voiceprint', async () => {
    const form = await audioForm(clip(tmp.path, 'sheila.wav', 21.9, 28.4), { label: 'Sheila' });
    const created = await call(api, '/voiceprints', { method: 'POST', token: TOKEN_A, body: form });
    expect(created.status).toBe(201);
    fromClip = created.body as unknown as VoiceprintBody;
    expect(created.headers.get('location')).toBe(`/voiceprints/${fromClip.id}`);
    expect(fromClip.label).toBe('Sheila');
    expect(fromClip.model).toMatch(/^[\w.-]+@[0-9a-f]{8,}$/);
    expect(fromClip.embedding!.length).toBeGreaterThan(16);
    expect(fromClip.source).toEqual({ kind: 'clip', speech_seconds: expect.any(Number) });
    expect((fromClip.source as { speech_seconds: number }).speech_seconds).toBeGreaterThan(3);
  });

  it('refuses clips that are too long, not audio, or unlabelled, with a clear message', async () => {
    const tooLong = await call(api, '/voiceprints', { method: 'POST', token: TOKEN_A, body: await audioForm(longAudio(tmp.path, 2), { label: 'Long' }) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error).toMatch(/too long: 60 s, the limit is 30 s/);
    const noLabel = await call(api, '/voiceprints', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV) });
    expect(noLabel.status).toBe(400);
    expect(noLabel.body.error).toMatch(/label must not be empty/);
    const text = await call(api, '/voiceprints', { method: 'POST', token: TOKEN_A, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
  });

  it('answers 422 when the worker finds no voice in the clip, and keeps no voiceprint', async () => {
    const silence = join(tmp.path, 'silence.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '5', silence]);
    const refused = await call(api, '/voiceprints', { method: 'POST', token: TOKEN_A, body: await audioForm(silence, { label: 'Nobody' }) });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/^the clip could not be enrolled: the voice clip holds no speech/);
    const listed = (await call(api, '/voiceprints', { token: TOKEN_A })).body.voiceprints as VoiceprintBody[];
    expect(listed.map((v) => v.label)).not.toContain('Nobody');
  });

  it("makes a voiceprint from a finished job's speaker, and returns embeddings only when asked", async () => {
    firstJob = String((await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { num_speakers: '2', return_embeddings: 'true' }) })).body.id);
    expect((await waitForJob(api, TOKEN_A, firstJob)).status).toBe('succeeded');
    const result = await call(api, `/jobs/${firstJob}/result`, { token: TOKEN_A });
    const embeddings = result.body.speaker_embeddings as { model: string; vectors: { speaker: string; embedding: number[] }[] };
    expect(embeddings.model).toBe(fromClip.model);
    expect(embeddings.vectors.map((v) => v.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    expect((result.body.speakers as { confidence: number }[]).every((s) => s.confidence >= 0 && s.confidence <= 1)).toBe(true);

    const json = (body: object) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await call(api, '/voiceprints', { token: TOKEN_A, ...json({ label: 'Speaker zero', job_id: firstJob, speaker: 'SPEAKER_00' }) });
    expect(created.status).toBe(201);
    fromJob = created.body as unknown as VoiceprintBody;
    expect(fromJob.source).toEqual({ kind: 'job', job_id: firstJob, speaker: 'SPEAKER_00' });
    expect(fromJob.embedding).toEqual(embeddings.vectors[0].embedding);

    const noSpeaker = await call(api, '/voiceprints', { token: TOKEN_A, ...json({ label: 'x', job_id: firstJob, speaker: 'SPEAKER_07' }) });
    expect(noSpeaker.status).toBe(400);
    expect(noSpeaker.body.error).toBe('speaker: the job has no speaker "SPEAKER_07" (its speakers: SPEAKER_00, SPEAKER_01)');
    const otherToken = await call(api, '/voiceprints', { token: TOKEN_B, ...json({ label: 'x', job_id: firstJob, speaker: 'SPEAKER_00' }) });
    expect(otherToken.status).toBe(404);
  });

  it('keeps each token to its own voiceprints', async () => {
    const listed = await call(api, '/voiceprints', { token: TOKEN_A });
    expect(listed.status).toBe(200);
    const mine = listed.body.voiceprints as VoiceprintBody[];
    expect(mine.map((v) => v.id).sort()).toEqual([fromClip.id, fromJob.id].sort());
    expect(mine.every((v) => v.embedding === undefined)).toBe(true);
    expect((await call(api, `/voiceprints/${fromClip.id}`, { token: TOKEN_A })).body.embedding).toEqual(fromClip.embedding);

    expect((await call(api, '/voiceprints', { token: TOKEN_B })).body.voiceprints).toEqual([]);
    expect((await call(api, `/voiceprints/${fromClip.id}`, { token: TOKEN_B })).status).toBe(404);
    expect((await call(api, `/voiceprints/${fromClip.id}`, { method: 'DELETE', token: TOKEN_B })).status).toBe(404);
    expect((await call(api, '/voiceprints')).status).toBe(401);
    // nor may it identify with them
    const borrowed = await call(api, '/jobs', { method: 'POST', token: TOKEN_B, body: await audioForm(SAMPLE_WAV, { identify: fromJob.id }) });
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error).toContain(`identify: no voiceprint ${fromJob.id}`);
  });

  it('identifies the enrolled speakers (identify=true), never one voiceprint twice, and names them in the transcript', async () => {
    const form = await audioForm(SAMPLE_WAV, { num_speakers: '2', identify: 'true' });
    form.append('transcript', new Blob([JSON.stringify(whisperJson())]), 'sample.json');
    const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: form });
    expect(submitted.status).toBe(202);
    const id = String(submitted.body.id);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    const result = await call(api, `/jobs/${id}/result`, { token: TOKEN_A });
    const identification = result.body.identification as Identification[];
    expect(identification.map((entry) => entry.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    // the voiceprint made from SPEAKER_00 of the same audio finds it
    expect(identification[0].voiceprint).toEqual({ id: fromJob.id, label: 'Speaker zero', score: expect.any(Number) });
    expect(identification[0].voiceprint!.score).toBeGreaterThan(0.95);
    const matched = identification.map((entry) => entry.voiceprint?.id).filter((vp) => vp !== undefined);
    expect(new Set(matched).size).toBe(matched.length);
    expect(result.body.speaker_embeddings).toBeUndefined();

    const srt = await call(api, `/jobs/${id}/result?format=srt`, { token: TOKEN_A });
    expect(srt.text).toContain('\nSpeaker zero: ');
    const vtt = await call(api, `/jobs/${id}/result?format=vtt`, { token: TOKEN_A });
    expect(vtt.text).toContain('<v Speaker zero>');
  });

  it('identifies against a list of ids, skipping one deleted meanwhile', async () => {
    const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { num_speakers: '2', identify: `${fromClip.id}` }) });
    expect(submitted.status).toBe(202);
    const id = String(submitted.body.id);
    // deleted before (or while) the job runs: the job still succeeds, without it
    expect((await call(api, `/voiceprints/${fromClip.id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(204);
    expect((await call(api, `/voiceprints/${fromClip.id}`, { token: TOKEN_A })).status).toBe(404);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    const identification = (await call(api, `/jobs/${id}/result`, { token: TOKEN_A })).body.identification as Identification[];
    expect(identification.map((entry) => entry.voiceprint?.id ?? null)).not.toContain(fromClip.id);
  });

  it('documents the voiceprint routes in /openapi.json', async () => {
    const document = await call(api, '/openapi.json');
    expect(document.status).toBe(200);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/voiceprints']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/voiceprints/{id}']).sort()).toEqual(['delete', 'get']);
  });

  it('refuses a voiceprint of another embedding model: at once when the workers agree on theirs, else when the job runs', async () => {
    const redis = createRedis(stack.env.REDIS_URL, { failFast: false });
    const keys = new RedisKeys(stack.env.QUEUE_PREFIX);
    const foreignId = randomUUID();
    try {
      await new VoiceprintStore(redis, keys).add(hashToken(TOKEN_A), {
        id: foreignId,
        label: 'Old model',
        model: 'wespeaker-resnet34-lm@0123456789ab',
        embedding: fromJob.embedding!,
        created_at: new Date().toISOString(),
        source: { kind: 'job', job_id: firstJob, speaker: 'SPEAKER_00' },
      });

      // the live worker says which model it embeds with: the API refuses the job at once
      const refused = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { identify: foreignId }) });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toBe(
        `identify: voiceprint "Old model" (${foreignId}) was made with embedding model wespeaker-resnet34-lm@0123456789ab, but the workers use ${fromJob.model}: enroll the voice again`,
      );

      // workers of two models (one announced here beside the real one): the worker's own check decides
      await writeHeartbeat(
        redis,
        keys,
        {
          id: 'worker-of-another-model',
          hostname: 'elsewhere',
          pid: 1,
          started_at: new Date().toISOString(),
          models_loaded: true,
          model_error: null,
          execution_provider: 'cpu',
          concurrency: 1,
          models: { segmentation: 'segmentation-3.0', embedding: 'wespeaker-resnet34-lm', embedding_model: 'wespeaker-resnet34-lm@0123456789ab' },
        },
        60,
      );
      const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { identify: foreignId }) });
      await removeHeartbeat(redis, keys, 'worker-of-another-model');
      expect(submitted.status).toBe(202);
      const job = await waitForJob(api, TOKEN_A, String(submitted.body.id));
      expect(job.status).toBe('failed');
      const error = job.error as { code: string; message: string };
      expect(error.code).toBe('voiceprint_model_mismatch');
      expect(error.message).toContain('wespeaker-resnet34-lm@0123456789ab');
      expect(error.message).toContain(fromJob.model);
      expect(error.message).toMatch(/re-enroll/);
    } finally {
      redis.disconnect();
    }
  });
});
