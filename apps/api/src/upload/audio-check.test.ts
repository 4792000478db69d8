import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiarizationError, decodeAudioFile } from '@diarization/engine/io';
import { fakeWav } from '../../../../test/support/audio';
import { tone, truncated, videoWithoutAudio } from '../../../../test/support/audio-formats';
import { makeTempDir, type TempDir } from '../../../../test/support/temp-dir';
import { HttpError } from '../errors';
import { EngineAudioValidator, probeRefusal } from './audio-check';

/** The HttpError that check() throws, as {status, message}; null when the file passes. */
async function verdict(validator: EngineAudioValidator, path: string): Promise<{ status: number; message: string } | null> {
  try {
    await validator.check(path);
    return null;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, message: error.message };
  }
}

describe('EngineAudioValidator (the engine decoder, real ffmpeg)', () => {
  let tmp: TempDir;
  let threeSeconds: string;
  const validator = new EngineAudioValidator({ maxDurationSeconds: 3600 });

  beforeAll(() => {
    tmp = makeTempDir('audio-check-');
    threeSeconds = tone(tmp.path, 'tone-3s.wav', 3);
  });
  afterAll(() => tmp.remove());

  it('accepts decodable audio', async () => {
    expect(await verdict(validator, threeSeconds)).toBeNull();
  });

  it('accepts a streamed WAV (`ffmpeg -f wav pipe:1`: sizes 0xFFFFFFFF), which the worker decodes too', async () => {
    for (const seconds of [1.5, 3]) {
      const streamed = join(tmp.path, `streamed-${seconds}.wav`);
      writeFileSync(streamed, execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', tone(tmp.path, `tone-${seconds}.wav`, seconds), '-f', 'wav', 'pipe:1']));
      expect(await verdict(validator, streamed)).toBeNull();
      // The worker's full decode agrees with the check.
      expect((await decodeAudioFile(streamed)).length).toBe(seconds * 16000);
    }
  });

  it('refuses a text file, an empty file and a video without sound with 422 and the engine message', async () => {
    expect(await verdict(validator, fakeWav(tmp.path))).toEqual({
      status: 422,
      message: 'could not decode audio: the file is not a recognised audio or video format, or it is corrupt',
    });
    const empty = join(tmp.path, 'empty.wav');
    writeFileSync(empty, '');
    expect(await verdict(validator, empty)).toEqual({ status: 422, message: 'the audio is empty: the file is empty (0 bytes)' });
    expect(await verdict(validator, videoWithoutAudio(tmp.path, 'silent-film.mp4'))).toEqual({
      status: 422,
      message: 'could not decode audio: the file has no audio track',
    });
  });

  it('refuses a truncated WAV with 422 saying so', async () => {
    const cut = truncated(tmp.path, threeSeconds, 0.5, 'cut.wav');
    const refused = await verdict(validator, cut);
    expect(refused?.status).toBe(422);
    expect(refused?.message).toMatch(/^could not decode audio: the WAV file is truncated \(its header declares 96000 bytes of audio, the file holds \d+\)$/);
  });

  it('refuses audio shorter than the engine minimum with 422', async () => {
    const blip = tone(tmp.path, 'blip.wav', 0.05);
    expect(await verdict(validator, blip)).toEqual({ status: 422, message: 'the audio is too short: 0.050 s, at least 0.1 s is needed' });
  });

  it('refuses audio declared longer than MAX_AUDIO_SECONDS with 422', async () => {
    const strict = new EngineAudioValidator({ maxDurationSeconds: 2 });
    expect(await verdict(strict, threeSeconds)).toEqual({ status: 422, message: 'the audio is too long: 3 s, the limit is 2 s' });
  });

  it('runs the ffmpeg it is given (FFMPEG_PATH)', async () => {
    // a wrapper that records each call, then runs the system's ffmpeg
    const calls = join(tmp.path, 'ffmpeg-calls.log');
    const wrapper = join(tmp.path, 'logging-ffmpeg');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${calls}'\nexec ffmpeg "$@"\n`, { mode: 0o755 });
    const configured = new EngineAudioValidator({ maxDurationSeconds: 3600, ffmpegPath: wrapper });
    expect(await verdict(configured, threeSeconds)).toBeNull();
    expect(readFileSync(calls, 'utf8')).toContain(threeSeconds);
  });
});

describe('probeRefusal', () => {
  it('answers 503 for a missing ffmpeg, without blaming the file', () => {
    const refusal = probeRefusal(new DiarizationError('FFMPEG_MISSING', 'no working ffmpeg found: install it (apt-get install ffmpeg) or set FFMPEG_PATH'));
    expect(refusal.status).toBe(503);
    expect(refusal.message).toMatch(/ffmpeg is missing/);
    expect(refusal.message).toMatch(/the file was not at fault/);
  });

  it('answers 503 with Retry-After when the check ran out of time', () => {
    const refusal = probeRefusal(new DiarizationError('ABORTED', 'diarization was canceled'));
    expect(refusal).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('keeps the engine message for faults of the input', () => {
    for (const code of ['AUDIO_EMPTY', 'AUDIO_DECODE_FAILED', 'AUDIO_TOO_SHORT', 'AUDIO_TOO_LONG'] as const) {
      expect(probeRefusal(new DiarizationError(code, `message for ${code}`))).toMatchObject({ status: 422, message: `message for ${code}` });
    }
  });
});
