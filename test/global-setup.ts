import { defaultModelsDir, installModels, loadManifest } from '@diarization/models';
import { SHARED_MODELS } from './shared-paths';

/** Installs the models from ../shared/models once per test run, as CI does (sha256 verified). */
export default async function globalSetup(): Promise<void> {
  const outcomes = await installModels(loadManifest(), { modelsDir: defaultModelsDir(process.env), fromDir: SHARED_MODELS });
  const failed = outcomes.filter((o) => o.result === 'failed');
  if (failed.length > 0) {
    throw new Error(`model install for tests failed: ${failed.map((o) => o.model.id).join(', ')}`);
  }
}
