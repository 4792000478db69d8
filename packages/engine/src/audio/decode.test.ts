import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createReadStream } from 'node:fs';
import { decodeAudio, decodeAudioFile } from './decode';
import { probeAudio } from './probe';
import { SHARED_EVAL } from '../../../../test/shared-paths';
import { failure } from '../../../../test/support/diarization-error';
import { makeTempDir, type TempDir } from '../../../../test/support/temp-dir';
import { encodeAs, silence, tone, truncated, videoWithAudio, videoWithoutAudio } from '../../../../test/support/audio-formats';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** `source` as ffmpeg writes a WAV to a pipe (`-f wav pipe:1`): RIFF and data sizes 0xFFFFFFFF. */
function streamedWav(dir: string, source: string, name: string): string {
  const out = join(dir, name);
  writeFileSync(out, execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', source, '-f', 'wav', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 }));
  const header = readFileSync(out).subarray(0, 4096);
  // The premise of the tests: both sizes are "unknown".
  expect(header.readUInt32LE(4)).toBe(0xffffffff);
  expect(header.readUInt32LE(header.indexOf('data') + 4)).toBe(0xffffffff);
  return out;
}

const SAMPLE = join(SHARED_EVAL, 'pyannote_sample.wav');

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

describe('decodeAudio', () => {
  let dir: TempDir;
  let reference: Float32Array;
  beforeAll(async () => {
    dir = makeTempDir();
    reference = await decodeAudioFile(SAMPLE);
  });
  afterAll(() => dir.remove());

  it('decodes 16 kHz WAV sample-exactly', () => {
    expect(reference.length).toBe(480000);
    expect(rms(reference)).toBeGreaterThan(0.01);
  });

  it.each([
    ['mp3', 'sample.mp3', []],
    ['m4a/aac', 'sample.m4a', ['-c:a', 'aac']],
    ['ogg/vorbis', 'sample.ogg', ['-c:a', 'libvorbis']],
    ['opus', 'sample.opus', ['-c:a', 'libopus']],
    ['flac', 'sample.flac', []],
    ['wav float32 at 44.1 kHz', 'sample-44k.wav', ['-ar', '44100', '-c:a', 'pcm_f32le']],
    ['wav 24-bit at 8 kHz', 'sample-8k.wav', ['-ar', '8000', '-c:a', 'pcm_s24le']],
  ])('decodes %s to 16 kHz mono of the same length and level', async (_label, name, args) => {
    const file = encodeAs(dir.path, SAMPLE, name, args as string[]);
    const samples = await decodeAudioFile(file);
    // codecs pad or trim a few milliseconds at the edges
    expect(Math.abs(samples.length - reference.length)).toBeLessThan(0.1 * 16000);
    expect(rms(samples)).toBeCloseTo(rms(reference), 2);
  });

  it.each(['webm', 'mp4', 'mkv'])('decodes the audio track of a %s video', async (extension) => {
    const file = videoWithAudio(dir.path, join(SHARED_EVAL, 'medkit_dialog.ogg'), `clip.${extension}`, 5);
    const samples = await decodeAudioFile(file);
    expect(samples.length).toBeGreaterThan(4.5 * 16000);
    expect(rms(samples)).toBeGreaterThan(0.01);
  });

  it('downmixes stereo by averaging the channels', async () => {
    const file = tone(dir.path, 'stereo.wav', 1, { stereoLevels: [0.8, 0.2] });
    const mono = tone(dir.path, 'mono.wav', 1);
    const [stereoSamples, monoSamples] = await Promise.all([decodeAudioFile(file), decodeAudioFile(mono)]);
    // (0.8 + 0.2) / 2 = 0.5 of the mono tone's level
    expect(rms(stereoSamples) / rms(monoSamples)).toBeCloseTo(0.5, 2);
  });

  it('streams: the decoder yields many blocks for a long input, not one buffer', async () => {
    let blocks = 0;
    let largest = 0;
    for await (const block of decodeAudio(SAMPLE)) {
      blocks++;
      largest = Math.max(largest, block.length);
    }
    expect(blocks).toBeGreaterThan(4);
    expect(largest).toBeLessThan(480000);
  });

  it('reads from a stream as well as from a path', async () => {
    const stream = createReadStream(encodeAs(dir.path, SAMPLE, 'piped.flac'));
    const samples = await decodeAudioFile(stream.pipe(new PassThrough()));
    expect(Math.abs(samples.length - 480000)).toBeLessThan(1600);
  });

  it('decodes a streamed WAV (sizes 0xFFFFFFFF, audio up to the end of the file) sample-exactly', async () => {
    const samples = await decodeAudioFile(streamedWav(dir.path, SAMPLE, 'streamed.wav'));
    expect(samples.length).toBe(reference.length);
    expect(rms(samples)).toBeCloseTo(rms(reference), 4);
    // A length that is not a whole number of ffmpeg's packets: the last one is short.
    const odd = await decodeAudioFile(streamedWav(dir.path, tone(dir.path, 'odd.wav', 1.234), 'odd-streamed.wav'));
    expect(odd.length).toBe(Math.round(1.234 * 16000));
  });

  it('decodes silence (the pipeline then finds no speaker)', async () => {
    const samples = await decodeAudioFile(silence(dir.path, 'silent.wav', 2));
    expect(samples.length).toBe(32000);
    expect(rms(samples)).toBe(0);
  });

  describe('refuses bad input with a typed, readable error', () => {
    it.each([
      ['an empty file', () => { const f = join(dir.path, 'empty.wav'); writeFileSync(f, ''); return f; }, 'AUDIO_EMPTY', /empty/],
      ['a text file', () => { const f = join(dir.path, 'text.mp3'); writeFileSync(f, 'hello\n'.repeat(100)); return f; }, 'AUDIO_DECODE_FAILED', /could not decode audio: .*not a recognised audio/],
      ['a missing file', () => join(dir.path, 'missing.wav'), 'AUDIO_DECODE_FAILED', /does not exist/],
      ['a directory', () => dir.path, 'AUDIO_DECODE_FAILED', /^could not decode audio: .+ is a directory, not an audio file$/],
      ['a video without sound', () => videoWithoutAudio(dir.path, 'silent-film.mp4'), 'AUDIO_DECODE_FAILED', /no audio track/],
      ['a clip shorter than 0.1 s', () => tone(dir.path, 'blip.wav', 0.05), 'AUDIO_TOO_SHORT', /too short: 0\.050 s/],
      ['a truncated WAV', () => truncated(dir.path, SAMPLE, 0.4, 'cut.wav'), 'AUDIO_DECODE_FAILED', /truncated/],
      ['a truncated MP3', () => truncated(dir.path, encodeAs(dir.path, SAMPLE, 'whole.mp3'), 0.4, 'cut.mp3'), 'AUDIO_DECODE_FAILED', /truncated or damaged/],
      ['a truncated FLAC', () => truncated(dir.path, encodeAs(dir.path, SAMPLE, 'whole.flac'), 0.4, 'cut.flac'), 'AUDIO_DECODE_FAILED', /truncated or damaged/],
      ['a truncated Ogg', () => truncated(dir.path, encodeAs(dir.path, SAMPLE, 'whole.ogg', ['-c:a', 'libvorbis']), 0.43, 'cut.ogg'), 'AUDIO_DECODE_FAILED', /truncated/],
      ['a truncated M4A', () => truncated(dir.path, encodeAs(dir.path, SAMPLE, 'whole.m4a'), 0.5, 'cut.m4a'), 'AUDIO_DECODE_FAILED', /could not decode audio/],
    ])('%s', async (_label, make, code, message) => {
      const error = await failure(decodeAudioFile(make()));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/\n|at .*\.js/);
    });

    it('audio longer than the configured maximum', async () => {
      const error = await failure(decodeAudioFile(SAMPLE, { maxDurationSeconds: 10 }));
      expect(error.code).toBe('AUDIO_TOO_LONG');
      expect(error.message).toBe('the audio is too long: 30 s, the limit is 10 s');
    });

    it('a stream longer than the maximum (no declared duration): stops while decoding', async () => {
      const stream = createReadStream(encodeAs(dir.path, SAMPLE, 'stream.ogg', ['-c:a', 'libvorbis']));
      const error = await failure(decodeAudioFile(stream, { maxDurationSeconds: 5 }));
      expect(error.code).toBe('AUDIO_TOO_LONG');
    });

    it('an abort from the caller', async () => {
      const controller = new AbortController();
      const decoding = decodeAudioFile(SAMPLE, { signal: controller.signal });
      controller.abort();
      expect((await failure(decoding)).code).toBe('ABORTED');
    });
  });
});

describe('probeAudio', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => dir.remove());

  it('accepts good audio quickly and reports its declared duration', async () => {
    expect(await probeAudio(SAMPLE)).toEqual({ declaredSeconds: 30 });
  });

  it('refuses what a full run would refuse at the start, with the same errors', async () => {
    const text = join(dir.path, 'notes.wav');
    writeFileSync(text, 'not audio at all\n'.repeat(50));
    expect((await failure(probeAudio(text))).code).toBe('AUDIO_DECODE_FAILED');
    expect((await failure(probeAudio(tone(dir.path, 'tiny.wav', 0.05)))).code).toBe('AUDIO_TOO_SHORT');
    expect((await failure(probeAudio(truncated(dir.path, SAMPLE, 0.5, 'half.wav')))).message).toMatch(/truncated/);
    expect((await failure(probeAudio(SAMPLE, { maxDurationSeconds: 20 }))).code).toBe('AUDIO_TOO_LONG');
  });

  it('accepts a streamed WAV shorter than the probe, decoded to its end like a full run', async () => {
    const short = streamedWav(dir.path, tone(dir.path, 'short.wav', 1.5), 'short-streamed.wav');
    await expect(probeAudio(short)).resolves.toEqual({ declaredSeconds: 1.5 });
  });
});
