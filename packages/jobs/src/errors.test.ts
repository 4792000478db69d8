import { DIARIZATION_ERROR_RETRY, DiarizationError, type DiarizationErrorCode } from '@diarization/engine/io';
import { httpStatusForJobError, isPermanentJobError, JOB_ERROR_RULES } from './errors';

describe('the job error table: one line per code', () => {
  it('holds every code a failed job can carry, with whether to retry and the HTTP status', () => {
    const table = Object.fromEntries(Object.entries(JOB_ERROR_RULES).map(([code, rule]) => [code, `${rule.retry} ${rule.httpStatus}`]));
    expect(table).toEqual({
      AUDIO_DECODE_FAILED: 'permanent 422',
      AUDIO_EMPTY: 'permanent 422',
      AUDIO_TOO_SHORT: 'permanent 422',
      AUDIO_TOO_LONG: 'permanent 422',
      INVALID_OPTIONS: 'permanent 400',
      MODEL_MISSING: 'retryable 500',
      MODEL_CORRUPT: 'retryable 500',
      FFMPEG_MISSING: 'retryable 500',
      ABORTED: 'permanent 500',
      NOT_ENOUGH_SPEECH: 'permanent 422',
      voiceprint_model_mismatch: 'permanent 422',
      AUDIO_MISSING: 'permanent 500',
      STORAGE_UNAVAILABLE: 'retryable 500',
      INTERNAL_ERROR: 'retryable 500',
      WORKER_LOST: 'retryable 500',
      CANCELED: 'permanent 409',
    });
  });

  it("takes every engine code with the engine's own retry rule", () => {
    const engineCodes = Object.keys(DIARIZATION_ERROR_RETRY) as DiarizationErrorCode[];
    expect(engineCodes.length).toBeGreaterThan(0);
    for (const code of engineCodes) {
      expect(JOB_ERROR_RULES[code].retry).toBe(DIARIZATION_ERROR_RETRY[code]);
      expect(new DiarizationError(code, 'x').permanent).toBe(DIARIZATION_ERROR_RETRY[code] === 'permanent');
      expect(isPermanentJobError(code)).toBe(new DiarizationError(code, 'x').permanent);
    }
  });

  it('answers 500 and retries codes it does not know (records of older versions)', () => {
    expect(httpStatusForJobError({ code: 'SOMETHING_OLD', message: 'x' })).toBe(500);
    expect(isPermanentJobError('SOMETHING_OLD')).toBe(false);
    expect(isPermanentJobError('toString')).toBe(false);
    expect(httpStatusForJobError({ code: 'CANCELED', message: 'canceled' })).toBe(409);
    expect(httpStatusForJobError({ code: 'AUDIO_TOO_LONG', message: 'too long' })).toBe(422);
  });
});
