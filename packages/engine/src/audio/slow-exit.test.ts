import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../../../../test/shared-paths';
import { makeTempDir } from '../../../../test/support/temp-dir';
import { ffmpegPath } from './ffmpeg-binary';

/**
 * Under load ffmpeg may close its output well before its process exits. fluent-ffmpeg took that
 * for a failure (valid uploads were refused with "could not decode audio" under load); this
 * ffmpeg closes its output, then waits before exiting, every time.
 */
describe('decoding when ffmpeg exits long after closing its output', () => {
  it('decodes the file, judged by the exit status, and still fails a real failure', () => {
    const dir = makeTempDir();
    try {
      const slow = join(dir.path, 'slow-ffmpeg');
      writeFileSync(slow, `#!/bin/sh\n"${ffmpegPath()}" "$@"\ncode=$?\nexec 1>&-\nsleep 0.3\nexit $code\n`);
      chmodSync(slow, 0o755);
      const script = `
        const { decodeAudioFile } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'io.js'))});
        decodeAudioFile(process.argv[1], { ffmpegPath: process.argv[2] }).then(
          (samples) => console.log('samples', samples.length),
          (error) => console.log('error', error.message),
        );`;
      const run = (file: string) =>
        spawnSync(process.execPath, ['-e', script, file, slow], { encoding: 'utf8', timeout: 60_000 }).stdout.trim();
      expect(run(join(SHARED_EVAL, 'pyannote_sample.wav'))).toBe('samples 480000');
      const notAudio = join(dir.path, 'notes.wav');
      writeFileSync(notAudio, 'RIFF but not really a wave file at all, just text that goes on for a while');
      expect(run(notAudio)).toMatch(/^error could not decode audio/);
    } finally {
      dir.remove();
    }
  });
});
