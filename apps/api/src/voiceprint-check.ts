import { checkVoiceprintModels, VoiceprintModelMismatchError } from '@diarization/engine/io';
import { listWorkers, VoiceprintStore, type DiarizeOptionsInput } from '@diarization/jobs';
import { badRequest, HttpError } from './errors';
import type { ApiServices } from './services';

/**
 * The voiceprints `identify` names must be the caller's (400 otherwise; deleted later, they are
 * skipped), and made with the workers' embedding model (422; the worker checks again, for
 * workers of several models or none live now).
 */
export async function checkIdentify(services: ApiServices, owner: string, identify: DiarizeOptionsInput['identify']): Promise<void> {
  if (identify === undefined || identify === false) return;
  const store = new VoiceprintStore(services.redis, services.keys);
  const named = identify === true ? await store.list(owner) : await store.getMany(owner, identify);
  if (Array.isArray(identify)) {
    const unknown = identify.filter((id) => !named.some((voiceprint) => voiceprint.id === id));
    if (unknown.length > 0) throw badRequest(`identify: no voiceprint ${unknown.join(', ')} (GET /voiceprints lists yours)`);
  }
  const workerModels = new Set((await listWorkers(services.redis, services.keys)).flatMap((worker) => worker.models?.embedding_model ?? []));
  if (workerModels.size !== 1) return;
  const [workersModel] = workerModels;
  try {
    checkVoiceprintModels(named, workersModel);
  } catch (error) {
    if (!(error instanceof VoiceprintModelMismatchError)) throw error;
    const { voiceprint } = error;
    throw new HttpError(
      422,
      `identify: voiceprint "${voiceprint.label}" (${voiceprint.id}) was made with embedding model ${voiceprint.model}, but the workers use ${workersModel}: enroll the voice again`,
    );
  }
}
