import { defaultModelsDir } from '@diarization/models';

/** Folder with the models the tests use; test/global-setup.ts installs them from ../shared/models. */
export function testModelsDir(): string {
  return defaultModelsDir(process.env);
}
