import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs the system ffmpeg to make a test file (tests create what they need; nothing is committed). */
export function ffmpegMake(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `source` re-encoded into `name` (the extension picks the container; extra args pick codecs). */
export function encodeAs(dir: string, source: string, name: string, args: string[] = []): string {
  const out = join(dir, name);
  ffmpegMake(['-i', source, ...args, out]);
  return out;
}

/** The first `fraction` of the file's bytes: a download cut short. */
export function truncated(dir: string, source: string, fraction: number, name: string): string {
  const bytes = readFileSync(source);
  const out = join(dir, name);
  writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return out;
}

/** A tone of `seconds` seconds at 16 kHz, optionally stereo with a different level per channel. */
export function tone(dir: string, name: string, seconds: number, options: { stereoLevels?: [number, number] } = {}): string {
  const out = join(dir, name);
  if (options.stereoLevels) {
    const [left, right] = options.stereoLevels;
    ffmpegMake([
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${seconds}`,
      '-filter_complex', `[0:a]asplit[a][b];[a]volume=${left}[l];[b]volume=${right}[r];[l][r]join=inputs=2:channel_layout=stereo[out]`,
      '-map', '[out]', out,
    ]);
  } else {
    ffmpegMake(['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${seconds}`, out]);
  }
  return out;
}

export function silence(dir: string, name: string, seconds: number): string {
  const out = join(dir, name);
  ffmpegMake(['-f', 'lavfi', '-i', `anullsrc=r=16000:cl=mono:d=${seconds}`, out]);
  return out;
}

/** A video file with the audio as its soundtrack. */
export function videoWithAudio(dir: string, audio: string, name: string, seconds: number): string {
  const out = join(dir, name);
  ffmpegMake(['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`, '-i', audio, '-shortest', '-c:v', name.endsWith('.webm') ? 'libvpx' : 'libx264', out]);
  return out;
}

export function videoWithoutAudio(dir: string, name: string): string {
  const out = join(dir, name);
  ffmpegMake(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=2', '-c:v', 'libx264', out]);
  return out;
}
