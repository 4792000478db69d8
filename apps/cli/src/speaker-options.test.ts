import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SHARED_EVAL } from '../../../test/shared-paths';
import { testModelsDir } from '../../../test/support/models';
import { UsageError } from './run-main';
import { speakerOptions } from './speaker-options';

describe('speaker-count flags (the engine\'s rules, in the flags\' names)', () => {
  it('passes consistent counts on as engine options', () => {
    expect(speakerOptions({ 'num-speakers': '3', 'min-speakers': '2', 'max-speakers': '4' })).toEqual({ numSpeakers: 3, minSpeakers: 2, maxSpeakers: 4 });
    expect(speakerOptions({})).toEqual({ numSpeakers: undefined, minSpeakers: undefined, maxSpeakers: undefined });
  });

  it.each([
    [{ 'num-speakers': '2', 'min-speakers': '3' }, '--num-speakers must not be less than --min-speakers'],
    [{ 'num-speakers': '5', 'max-speakers': '4' }, '--num-speakers must not be greater than --max-speakers'],
    [{ 'min-speakers': '3', 'max-speakers': '2' }, '--min-speakers must not be greater than --max-speakers'],
    [{ 'max-speakers': '51' }, '--max-speakers must be a whole number between 1 and 50'],
    [{ 'num-speakers': 'two' }, '--num-speakers must be a positive whole number, got "two"'],
  ])('refuses %j', (flags, message) => {
    expect(() => speakerOptions(flags)).toThrow(new UsageError(message));
  });

  it.each([
    [['--num-speakers', '2', '--min-speakers', '3'], 'diarize: --num-speakers must not be less than --min-speakers'],
    [['--max-speakers', '1000'], 'diarize: --max-speakers must be a whole number between 1 and 50'],
  ])('npm run diarize %j exits 1 with one line on stderr', (flags, message) => {
    const result = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'diarize.js'), join(SHARED_EVAL, 'pyannote_sample.wav'), ...flags], {
      encoding: 'utf8',
      env: { ...process.env, MODELS_DIR: testModelsDir(), DEBUG: '' },
      timeout: 60_000,
    });
    expect({ status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 1,
      signal: null,
      stdout: '',
      stderr: `${message}\n`,
    });
  });
});
