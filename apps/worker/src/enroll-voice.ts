import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollVoiceJobDataSchema } from '@diarization/jobs';
import { downloadToFile } from '@diarization/storage';
import { UnrecoverableError } from 'bullmq';
import { classifyError } from './job-errors';
import type { DiarizeAttempt, ProcessDeps } from './process-job';

/**
 * One attempt of an enrollment (POST /voiceprints with a clip): the clip's dominant voice
 * embedded with engine.embedVoice and saved as the owner's voiceprint. The clip is deleted once
 * it has a voiceprint or cannot get one; the API answers from the enrollment's state.
 */
export async function processEnrollment(job: DiarizeAttempt, signal: AbortSignal | undefined, deps: ProcessDeps): Promise<'succeeded'> {
  const data = enrollVoiceJobDataSchema.parse(job.data);
  const log = deps.logger.child({ voiceprint_id: data.voiceprintId });
  const voiceprints = deps.voiceprints;
  if (voiceprints === undefined) throw new UnrecoverableError('this worker has no voiceprint store');
  const workDir = await mkdtemp(join(tmpdir(), 'diarization-enroll-'));
  try {
    const clipPath = join(workDir, `clip${data.extension}`);
    await downloadToFile(deps.store, data.clipKey, clipPath, signal);
    const engine = await deps.engine();
    const voice = await engine.embedVoice(clipPath, { signal });
    await voiceprints.add(data.owner, {
      id: data.voiceprintId,
      label: data.label,
      model: voice.model,
      embedding: voice.embedding,
      created_at: new Date().toISOString(),
      source: { kind: 'clip', speech_seconds: voice.speechSeconds },
    });
    await deps.store.delete(data.clipKey);
    log.info('voiceprint enrolled', { model: voice.model, speech_seconds: voice.speechSeconds });
    return 'succeeded';
  } catch (error) {
    const { error: jobError, permanent } = classifyError(error);
    if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      await voiceprints.failEnrollment(data.voiceprintId, data.owner, jobError);
      await deps.store.delete(data.clipKey).catch(() => undefined);
      log.warn('voiceprint enrollment failed', { code: jobError.code, error: jobError.message });
      throw new UnrecoverableError(`${jobError.code}: ${jobError.message}`);
    }
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
