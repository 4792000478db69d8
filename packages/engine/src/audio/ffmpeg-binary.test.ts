import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../../../../test/shared-paths';
import { makeTempDir } from '../../../../test/support/temp-dir';
import { ffmpegPath } from './ffmpeg-binary';

/**
 * The engine takes its ffmpeg from its caller (EngineConfig.ffmpegPath, DecodeOptions.ffmpegPath)
 * and reads no environment: FFMPEG_PATH is the callers' setting (packages/config, the CLI).
 */
describe('which ffmpeg the engine runs', () => {
  it('runs the one its caller names, and ignores FFMPEG_PATH in its environment', () => {
    const dir = makeTempDir();
    try {
      const real = ffmpegPath();
      const wrapper = (name: string) => {
        const path = join(dir.path, name);
        writeFileSync(path, `#!/bin/sh\necho called >> "${path}.log"\nexec "${real}" "$@"\n`);
        chmodSync(path, 0o755);
        return path;
      };
      const named = wrapper('named-ffmpeg');
      const fromEnv = wrapper('env-ffmpeg');
      const decode = (options: object) =>
        spawnSync(
          process.execPath,
          [
            '-e',
            `require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'io.js'))})
              .decodeAudioFile(process.argv[1], JSON.parse(process.argv[2]))
              .then((samples) => console.log(samples.length), (error) => console.log(error.message));`,
            join(SHARED_EVAL, 'pyannote_sample.wav'),
            JSON.stringify(options),
          ],
          { encoding: 'utf8', env: { ...process.env, FFMPEG_PATH: fromEnv }, timeout: 60_000 },
        ).stdout.trim();

      expect(decode({})).toBe('480000');
      expect(existsSync(`${fromEnv}.log`)).toBe(false);
      expect(decode({ ffmpegPath: named })).toBe('480000');
      expect(readFileSync(`${named}.log`, 'utf8')).toMatch(/called/);
      expect(existsSync(`${fromEnv}.log`)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('falls back to ffmpeg on PATH when the named one does not run', () => {
    expect(ffmpegPath('/nonexistent/ffmpeg')).toBe(ffmpegPath());
  });
});
