import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transcriptObjectKey } from '@diarization/jobs';
import { createObjectStore, type ObjectStore } from '@diarization/storage';
import { longAudio, SAMPLE_WAV } from '../support/audio';
import { audioForm, call as plainCall, waitForJob } from '../support/http';
import { OpenApiMatcher } from '../support/openapi-matcher';
import { sendFile, startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { configFrom, startStack, TOKEN_A, type Stack } from '../support/stack';
import { readStm, srtText, whisperJson } from '../support/stm-transcript';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/** Keys under a prefix, to see that a refused request left nothing behind. */
async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys.sort();
}

describe('speaker-attributed transcripts through the API (Redis, S3, worker, real models)', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  let store: ObjectStore;
  let files: LoopbackServer;
  let whisperPath: string;
  let jobWithTranscript: string;

  let call = plainCall;

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 's3' });
    api = stack.api.url;
    // every answer of this suite is also checked against /openapi.json
    call = (await OpenApiMatcher.fromService(api)).checkedCall();
    store = createObjectStore(configFrom(stack.env).storage);
    await stack.startWorker();
    whisperPath = join(tmp.path, 'sample.json');
    writeFileSync(whisperPath, JSON.stringify(whisperJson()));
    files = await startLoopbackServer((_request, response) => sendFile(response, SAMPLE_WAV, 'audio/wav'));
  });

  afterAll(async () => {
    await files?.close();
    await stack?.stop();
    tmp?.remove();
  });

  it('attributes a Whisper verbose_json sent with the audio, and writes it as JSON, SRT and WebVTT', async () => {
    const form = await audioForm(SAMPLE_WAV, { num_speakers: '2' });
    form.append('transcript', new Blob([JSON.stringify(whisperJson())], { type: 'application/json' }), 'sample.json');
    const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: form });
    expect(submitted.status).toBe(202);
    jobWithTranscript = String(submitted.body.id);
    const job = await waitForJob(api, TOKEN_A, jobWithTranscript);
    expect(job.status).toBe('succeeded');

    const result = await call(api, `/jobs/${jobWithTranscript}/result`, { token: TOKEN_A });
    expect(result.status).toBe(200);
    expect(result.body.exclusive).toBe(true); // a transcript is attributed from the exclusive diarization
    const transcript = result.body.transcript as { segments: { speaker: string | null; text: string; words: { speaker: string | null }[] }[] };
    const utterances = readStm();
    expect(transcript.segments.map((segment) => segment.text)).toEqual(utterances.map((u) => u.text));
    const speakers = new Set(transcript.segments.map((segment) => segment.speaker));
    expect([...speakers].sort()).toEqual(['SPEAKER_00', 'SPEAKER_01']);
    for (const segment of transcript.segments) for (const word of segment.words) expect(word.speaker).toMatch(/^SPEAKER_0[01]$/);
    // the two people of the reference end up as two different speakers
    const speakerOf = (name: string) => new Set(transcript.segments.filter((_, i) => utterances[i].speaker === name).map((s) => s.speaker));
    expect(speakerOf('Diane')).not.toEqual(speakerOf('Sheila'));
    // confidences come with the diarization; embeddings only when asked for
    expect((result.body.segments as { confidence: number }[])[0].confidence).toEqual(expect.any(Number));
    expect(result.body.speaker_embeddings).toBeUndefined();
    // the parsed transcript was stored beside the audio only until the result held it
    await expect(store.head(transcriptObjectKey(jobWithTranscript))).resolves.toBeNull();

    const srt = await call(api, `/jobs/${jobWithTranscript}/result?format=srt`, { token: TOKEN_A });
    expect(srt.status).toBe(200);
    expect(srt.headers.get('content-type')).toMatch(/^application\/x-subrip/);
    const cues = srt.text.trim().split('\n\n');
    expect(cues.length).toBeGreaterThanOrEqual(utterances.length);
    for (const cue of cues) expect(cue).toMatch(/^\d+\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\nSPEAKER_0[01]: \S/);

    const vtt = await call(api, `/jobs/${jobWithTranscript}/result?format=vtt`, { token: TOKEN_A });
    expect(vtt.status).toBe(200);
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    expect(vtt.text.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt.text).toMatch(/\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n<v SPEAKER_0[01]>Hello\?\n/);
  });

  it('takes an SRT transcript in a JSON audio_url request', async () => {
    const submitted = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/sample.wav`, transcript: srtText(), transcript_format: 'srt', num_speakers: 2 }),
    });
    expect(submitted.status).toBe(202);
    const id = String(submitted.body.id);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    const srt = await call(api, `/jobs/${id}/result?format=srt`, { token: TOKEN_A });
    expect(srt.status).toBe(200);
    expect(srt.text).toMatch(/^1\n00:00:06,680 --> 00:00:07,160\nSPEAKER_0[01]: Hello\?\n/);
  });

  it('refuses a malformed transcript with 400 at once, keeping nothing', async () => {
    const before = await keysUnder(store, 'audio/');
    const form = await audioForm(SAMPLE_WAV);
    form.append('transcript', new Blob(['WEBVTT\n\n00:01.000 --> 00:02\nHello\n']), 'talk.vtt');
    const refused = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: form });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('transcript: WebVTT line 3: expected a time line like "00:00:01.000 --> 00:00:02.500", found "00:01.000 --> 00:02"');

    const json = await call(api, '/jobs', {
      method: 'POST',
      token: TOKEN_A,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${files.url}/sample.wav`, transcript: { segments: [{ start: 1, end: 'soon', text: 'hi' }] } }),
    });
    expect(json.status).toBe(400);
    expect(json.body.error).toMatch(/^transcript: not a Whisper verbose_json transcript: segments\.0\.end: /);

    const badFormat = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { transcript: 'x', transcript_format: 'docx' }) });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error).toMatch(/transcript_format: must be one of whisper_json, srt, vtt/);
    expect(await keysUnder(store, 'audio/')).toEqual(before);
  });

  it('deletes the stored transcript with the job: DELETE of a running job takes it at once', async () => {
    const form = await audioForm(longAudio(tmp.path, 6));
    form.append('transcript', new Blob([srtText()]), 'talk.srt');
    const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: form });
    expect(submitted.status).toBe(202);
    const id = String(submitted.body.id);
    await expect(store.head(transcriptObjectKey(id))).resolves.not.toBeNull();
    await waitForJob(api, TOKEN_A, id, (job) => job.status === 'processing');
    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(200);
    expect(await store.head(transcriptObjectKey(id))).toBeNull();
  });

  it('answers 409 for srt or vtt of a job sent without a transcript, and 400 for an unknown format', async () => {
    const submitted = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SAMPLE_WAV, { num_speakers: '2' }) });
    const id = String(submitted.body.id);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    const srt = await call(api, `/jobs/${id}/result?format=srt`, { token: TOKEN_A });
    expect(srt.status).toBe(409);
    expect(srt.body.error).toMatch(/submitted without a transcript/);
    const unknown = await call(api, `/jobs/${id}/result?format=docx`, { token: TOKEN_A });
    expect(unknown.status).toBe(400);
  });
});
