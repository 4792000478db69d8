import { DiarizationError } from '../../packages/engine/src/errors';

/** The DiarizationError that `promise` rejects with; any other outcome fails the test. */
export async function failure(promise: Promise<unknown>): Promise<DiarizationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiarizationError) return error;
    throw error;
  }
  throw new Error('expected a DiarizationError');
}
