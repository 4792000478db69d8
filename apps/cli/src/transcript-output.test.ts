import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_EVAL } from '../../../test/shared-paths';
import { testModelsDir } from '../../../test/support/models';
import { srtText } from '../../../test/support/stm-transcript';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';

/** Runs the built diarize CLI (npm test builds before jest runs). */
function diarize(args: string[]) {
  const result = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'diarize.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODELS_DIR: testModelsDir() },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run diarize with --transcript', () => {
  let dir: TempDir;
  let srtPath: string;
  const sample = join(SHARED_EVAL, 'pyannote_sample.wav');
  beforeAll(() => {
    dir = makeTempDir('diarization-transcript-cli-');
    srtPath = join(dir.path, 'sample.srt');
    writeFileSync(srtPath, srtText());
  });
  afterAll(() => dir.remove());

  it('refuses --format srt or vtt without a transcript, in one line', () => {
    for (const format of ['srt', 'vtt']) {
      const { code, stdout, stderr } = diarize([sample, '--format', format]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(`--format ${format} needs --transcript FILE`);
    }
  });

  it('refuses a malformed transcript with its line, and a missing one, before loading models', () => {
    const bad = join(dir.path, 'bad.srt');
    writeFileSync(bad, '1\n00:00:01,000 -> 00:00:02,000\nHello\n');
    const malformed = diarize([sample, '--transcript', bad, '--format', 'srt']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr.trim().split('\n')).toHaveLength(1);
    expect(malformed.stderr).toContain('SRT line 2: expected a time line');
    const missing = diarize([sample, '--transcript', join(dir.path, 'nope.vtt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read --transcript');
    const badFormat = diarize([sample, '--transcript', srtPath, '--transcript-format', 'docx']);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('--transcript-format must be one of whisper_json, srt, vtt');
  });

  it('writes SRT, WebVTT and JSON with a speaker for each cue of the real sample', () => {
    const srt = diarize([sample, '--transcript', srtPath, '--format', 'srt', '--num-speakers', '2']);
    expect(srt.code).toBe(0);
    const cues = srt.stdout.trim().split('\n\n');
    expect(cues.length).toBeGreaterThanOrEqual(13);
    for (const cue of cues) expect(cue.split('\n')[2]).toMatch(/^SPEAKER_0[01]: \S/);
    expect(new Set(cues.map((cue) => cue.split('\n')[2].slice(0, 10))).size).toBe(2);

    const vtt = diarize([sample, '--transcript', srtPath, '--format', 'vtt', '--num-speakers', '2']);
    expect(vtt.code).toBe(0);
    expect(vtt.stdout.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt.stdout).toMatch(/\n<v SPEAKER_0[01]>Hello\?\n/);

    const json = diarize([sample, '--transcript', srtPath, '--num-speakers', '2']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.exclusive).toBe(true);
    expect(result.transcript.segments).toHaveLength(13);
    for (const segment of result.transcript.segments) expect(segment.speaker).toMatch(/^SPEAKER_0[01]$/);
  });
});
