import { validateOptions } from './options';
import {
  API_SPEAKER_FIELDS,
  CLI_SPEAKER_FLAGS,
  ENGINE_SPEAKER_FIELDS,
  MAX_SPEAKERS,
  speakerBoundsIssues,
} from './speaker-bounds-schema';
import * as io from './io';
import { DiarizationError } from './errors';

function refusal(options: Parameters<typeof validateOptions>[0]): DiarizationError {
  try {
    validateOptions(options);
  } catch (error) {
    if (error instanceof DiarizationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('speaker bounds: one definition', () => {
  it('is exported from the onnxruntime-free io entry', () => {
    expect(io.MAX_SPEAKERS).toBe(MAX_SPEAKERS);
    expect(MAX_SPEAKERS).toBe(50);
  });

  describe('validateOptions', () => {
    it.each([
      [{ numSpeakers: 2, minSpeakers: 3 }, 'invalid options: numSpeakers: must not be less than minSpeakers'],
      [{ numSpeakers: 5, maxSpeakers: 4 }, 'invalid options: numSpeakers: must not be greater than maxSpeakers'],
      [{ minSpeakers: 3, maxSpeakers: 2 }, 'invalid options: minSpeakers: must not be greater than maxSpeakers'],
      [{ numSpeakers: 51 }, 'invalid options: numSpeakers: must be a whole number between 1 and 50'],
      [{ maxSpeakers: 1000 }, 'invalid options: maxSpeakers: must be a whole number between 1 and 50'],
      [{ minSpeakers: 0 }, 'invalid options: minSpeakers: must be a whole number between 1 and 50'],
      [{ numSpeakers: 2.5 }, 'invalid options: numSpeakers: must be a whole number between 1 and 50'],
    ])('refuses %j', (options, message) => {
      const error = refusal(options);
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toBe(message);
    });

    it('accepts a count inside its bounds, and the bounds themselves', () => {
      expect(validateOptions({ numSpeakers: 3, minSpeakers: 2, maxSpeakers: 4 }).bounds).toEqual({ numSpeakers: 3, minSpeakers: 3, maxSpeakers: 3 });
      expect(validateOptions({ numSpeakers: 2, minSpeakers: 2, maxSpeakers: 2 }).bounds.numSpeakers).toBe(2);
      expect(validateOptions({ minSpeakers: 1, maxSpeakers: MAX_SPEAKERS }).bounds).toEqual({ numSpeakers: undefined, minSpeakers: 1, maxSpeakers: 50 });
      expect(validateOptions({}).bounds).toEqual({ numSpeakers: undefined, minSpeakers: 1, maxSpeakers: Infinity });
    });
  });

  it('words the same problem the same way in each caller\'s names', () => {
    const counts = { num: 2, min: 3 };
    expect(speakerBoundsIssues(counts, ENGINE_SPEAKER_FIELDS)).toEqual([{ field: 'numSpeakers', message: 'must not be less than minSpeakers' }]);
    expect(speakerBoundsIssues(counts, API_SPEAKER_FIELDS)).toEqual([{ field: 'num_speakers', message: 'must not be less than min_speakers' }]);
    expect(speakerBoundsIssues(counts, CLI_SPEAKER_FLAGS)).toEqual([{ field: '--num-speakers', message: 'must not be less than --min-speakers' }]);
    expect(speakerBoundsIssues({ max: 51 }, CLI_SPEAKER_FLAGS)).toEqual([{ field: '--max-speakers', message: 'must be a whole number between 1 and 50' }]);
    expect(speakerBoundsIssues({ num: 3, min: 2, max: 4 }, CLI_SPEAKER_FLAGS)).toEqual([]);
  });
});
