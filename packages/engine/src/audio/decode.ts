import ffmpeg from 'fluent-ffmpeg';
import { PassThrough, type Readable } from 'node:stream';
import { SAMPLE_RATE } from '@diarization/common';
import { DiarizationError } from '../errors';
import { concatFloat32 } from '../math/concat';
import { channelsOfLayout, ffmpegPath } from './ffmpeg-binary';
import { damageReport, declaredDuration, failureReason, outputLayout } from './ffmpeg-messages';
import { containerProblem, isStreamedWav, withoutStreamEndReports } from './container-checks';

export interface DecodeOptions {
  /** Output rate (default SAMPLE_RATE, 16 kHz). */
  sampleRate?: number;
  /** The caller's ffmpeg (e.g. FFMPEG_PATH); by default, or when it does not run, ffmpeg on PATH, then the bundled one. */
  ffmpegPath?: string;
  /** Refuse audio longer than this (seconds). */
  maxDurationSeconds?: number;
  signal?: AbortSignal;
  /** Called once ffmpeg has read the container's declared duration (undefined when unknown). */
  onDuration?: (seconds: number | undefined) => void;
}

export const MIN_DURATION_SECONDS = 0.1;

/** Declared and decoded durations may differ by this much before we call a file truncated. */
const TRUNCATION_TOLERANCE_SECONDS = 1.0;
const TRUNCATION_TOLERANCE_RATIO = 0.05;

/**
 * Decodes anything ffmpeg reads into mono float32 blocks at `sampleRate` (16 kHz by default),
 * streaming: ffmpeg resamples, channels are averaged here (as pyannote's downmix does), and no
 * temporary file is written. Bad input ends in a DiarizationError, never a hang.
 */
export async function* decodeAudio(source: string | Readable, options: DecodeOptions = {}): AsyncGenerator<Float32Array> {
  const sampleRate = options.sampleRate ?? SAMPLE_RATE;
  const maxSamples = options.maxDurationSeconds ? Math.ceil(options.maxDurationSeconds * sampleRate) : Infinity;
  const sourceName = typeof source === 'string' ? source : 'stream';
  if (options.signal?.aborted) throw new DiarizationError('ABORTED', 'diarization was canceled');
  if (typeof source === 'string') {
    const problem = await containerProblem(source);
    if (problem?.empty) throw new DiarizationError('AUDIO_EMPTY', `the audio is empty: ${problem.reason}`);
    if (problem) throw new DiarizationError('AUDIO_DECODE_FAILED', `could not decode audio: ${problem.reason}`);
  }
  // A WAV of unknown length (written while streaming) ends in a short packet ffmpeg calls corrupt.
  const streamedWav = typeof source === 'string' && (await isStreamedWav(source));

  const stderr: string[] = [];
  let failure: DiarizationError | undefined;
  let finished = false;
  const binary = ffmpegPath(options.ffmpegPath);
  const command = ffmpeg(source)
    .setFfmpegPath(binary)
    .inputOptions(['-nostdin'])
    .outputOptions(['-map', '0:a:0', '-vn', '-sn', '-dn', '-ar', String(sampleRate), '-acodec', 'pcm_f32le', '-f', 'f32le']);

  const stop = (error: DiarizationError) => {
    failure ??= error;
    command.kill('SIGKILL');
  };
  const onAbort = () => stop(new DiarizationError('ABORTED', 'diarization was canceled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // aborted while the container was being checked

  let durationReported = false;
  command.on('stderr', (line: string) => {
    stderr.push(line);
    if (stderr.length > 400) stderr.splice(50, stderr.length - 300); // keep the header and the recent tail
    if (!durationReported && /^Output #0|Stream mapping/.test(line)) {
      durationReported = true;
      const declared = declaredDuration(stderr);
      options.onDuration?.(declared?.seconds);
      if (declared && !declared.estimated && declared.seconds * sampleRate > maxSamples) {
        stop(tooLong(declared.seconds, options.maxDurationSeconds!));
      }
    }
  });
  const ended = new Promise<void>((resolve) => {
    command.on('end', () => {
      finished = true;
      resolve();
    });
    command.on('error', (error: Error) => {
      finished = true;
      failure ??=
        /killed with signal/.test(error.message) && !failure
          ? new DiarizationError('AUDIO_DECODE_FAILED', 'could not decode audio: ffmpeg was killed')
          : new DiarizationError('AUDIO_DECODE_FAILED', `could not decode audio: ${failureReason(stderr, sourceName)}`);
      resolve();
    });
  });

  // fluent-ffmpeg takes the output's 'close' as "ffmpeg is done" and reports an error (then kills
  // ffmpeg) when ffmpeg has not exited 20 ms later, which happens under load. An output that never
  // emits 'close' leaves success or failure to ffmpeg's exit status and what was decoded.
  const output = new PassThrough({ emitClose: false });
  command.pipe(output, { end: true });
  output.on('error', () => undefined); // failures surface through the command's 'error' event

  let channels = 0;
  let pending: Buffer = Buffer.alloc(0);
  let decodedSamples = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      if (failure) break;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (channels === 0) {
        // ffmpeg announces the output layout on stderr before it writes samples; wait for it.
        const layout = outputLayout(stderr);
        if (!layout) continue;
        channels = channelsOfLayout(layout, binary) ?? 0;
        if (channels === 0) {
          stop(new DiarizationError('AUDIO_DECODE_FAILED', `could not decode audio: unknown channel layout "${layout}"`));
          break;
        }
      }
      const frameBytes = 4 * channels;
      const usable = pending.length - (pending.length % frameBytes);
      if (usable === 0) continue;
      const block = downmix(pending.subarray(0, usable), channels);
      pending = pending.subarray(usable);
      decodedSamples += block.length;
      if (decodedSamples > maxSamples) {
        stop(tooLong(decodedSamples / sampleRate, options.maxDurationSeconds!));
        break;
      }
      yield block;
    }
    await ended;
    if (failure) throw failure;
    const declared = declaredDuration(stderr);
    const decodedSeconds = decodedSamples / sampleRate;
    const damage = damageReport(streamedWav ? withoutStreamEndReports(stderr) : stderr);
    if (damage) throw new DiarizationError('AUDIO_DECODE_FAILED', `could not decode audio: the file is truncated or damaged (${damage})`);
    if (declared && !declared.estimated && declared.seconds - decodedSeconds > Math.max(TRUNCATION_TOLERANCE_SECONDS, TRUNCATION_TOLERANCE_RATIO * declared.seconds)) {
      throw new DiarizationError(
        'AUDIO_DECODE_FAILED',
        `could not decode audio: the file is truncated (it declares ${declared.seconds.toFixed(1)} s, only ${decodedSeconds.toFixed(1)} s could be decoded)`,
      );
    }
    if (decodedSamples === 0) throw new DiarizationError('AUDIO_EMPTY', 'the audio is empty: it holds no samples');
    if (decodedSeconds < MIN_DURATION_SECONDS) {
      throw new DiarizationError(
        'AUDIO_TOO_SHORT',
        `the audio is too short: ${decodedSeconds.toFixed(3)} s, at least ${MIN_DURATION_SECONDS} s is needed`,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (!finished) command.kill('SIGKILL');
  }
}

/** Decodes a whole file into memory (tests, short clips). */
export async function decodeAudioFile(source: string | Readable, options: DecodeOptions = {}): Promise<Float32Array> {
  const blocks: Float32Array[] = [];
  for await (const block of decodeAudio(source, options)) blocks.push(block);
  return concatFloat32(blocks);
}

function downmix(bytes: Buffer, channels: number): Float32Array {
  const frames = bytes.length / (4 * channels);
  const interleaved = new Float32Array(frames * channels);
  new Uint8Array(interleaved.buffer).set(bytes);
  if (channels === 1) return interleaved;
  const mono = new Float32Array(frames);
  for (let f = 0, i = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i++];
    mono[f] = sum / channels;
  }
  return mono;
}

function tooLong(seconds: number, limit: number): DiarizationError {
  return new DiarizationError(
    'AUDIO_TOO_LONG',
    `the audio is too long: ${Math.round(seconds)} s, the limit is ${Math.round(limit)} s`,
  );
}
