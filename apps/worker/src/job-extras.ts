import type { DiarizationResult, VoiceprintRef } from '@diarization/engine';
import type { VoiceprintStore } from '@diarization/jobs';
import { readText, type ObjectStore } from '@diarization/storage';
import { attributeTranscript, type AttributedTranscript, type Transcript } from '@diarization/transcripts';

/** The voiceprints a job's `identify` names, as the engine takes them: all of the owner's, or those ids still there. */
export async function resolveVoiceprints(store: VoiceprintStore | undefined, owner: string, identify: true | string[]): Promise<VoiceprintRef[]> {
  if (store === undefined) return [];
  const found = identify === true ? await store.list(owner) : await store.getMany(owner, identify);
  return found.map(({ id, label, model, embedding }) => ({ id, label, model, embedding }));
}

/**
 * The job's transcript (parsed and stored by the API) with a speaker for every word, from the
 * exclusive diarization; identified speakers go by their voiceprint's label in SRT and WebVTT.
 */
export async function attributeSpeakers(store: ObjectStore, transcriptKey: string, result: DiarizationResult): Promise<AttributedTranscript> {
  const transcript = JSON.parse(await readText(store, transcriptKey)) as Transcript;
  const speakerNames: Record<string, string> = {};
  for (const entry of result.identification ?? []) {
    if (entry.voiceprint !== null) speakerNames[entry.speaker] = entry.voiceprint.label;
  }
  return attributeTranscript(transcript, result.segments, { speakerNames });
}
