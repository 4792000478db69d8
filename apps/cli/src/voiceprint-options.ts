import { existsSync } from 'node:fs';
import { isDiarizationError, type DiarizationEngine, type DiarizationResult, type VoiceprintRef } from '@diarization/engine';
import { UsageError } from './run-main';

/** diarize's options for speaker embeddings and identification (parseArgs config). */
export const VOICEPRINT_OPTIONS = {
  embeddings: { type: 'boolean', default: false },
  voiceprint: { type: 'string', multiple: true },
  'identify-threshold': { type: 'string' },
} as const;

export const VOICEPRINT_USAGE = `  --embeddings              add "speaker_embeddings" (one centroid per speaker, with its model) to the JSON
  --voiceprint NAME=FILE    enroll the main voice of FILE (a clip of up to 30 s) as NAME and identify it;
                            repeatable. JSON gets "identification"; the other formats name identified
                            speakers NAME instead of SPEAKER_xx
  --identify-threshold X    lowest cosine similarity that counts as a match, -1..1 (default: the model's)
`;

export interface VoiceprintFile {
  name: string;
  file: string;
}

export interface VoiceOptions {
  returnEmbeddings: boolean;
  voiceprints: VoiceprintFile[];
  identifyThreshold?: number;
}

/** Checks the flags before any model loads; mistakes are one-line usage errors. */
export function readVoiceOptions(values: { embeddings?: boolean; voiceprint?: string[]; 'identify-threshold'?: string }): VoiceOptions {
  const voiceprints = (values.voiceprint ?? []).map(parseVoiceprintFlag);
  const names = voiceprints.map((v) => v.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new UsageError(`--voiceprint ${repeated} is given twice: each NAME names one voice`);
  const raw = values['identify-threshold'];
  let identifyThreshold: number | undefined;
  if (raw !== undefined) {
    if (voiceprints.length === 0) throw new UsageError('--identify-threshold needs at least one --voiceprint NAME=FILE');
    identifyThreshold = Number(raw);
    if (raw.trim() === '' || !(identifyThreshold >= -1 && identifyThreshold <= 1)) {
      throw new UsageError(`--identify-threshold must be a cosine similarity between -1 and 1, got "${raw}"`);
    }
  }
  return { returnEmbeddings: values.embeddings ?? false, voiceprints, identifyThreshold };
}

function parseVoiceprintFlag(flag: string): VoiceprintFile {
  const at = flag.indexOf('=');
  const name = at > 0 ? flag.slice(0, at) : '';
  const file = at > 0 ? flag.slice(at + 1) : '';
  if (!name || !file) throw new UsageError(`--voiceprint must be NAME=FILE, got "${flag}"`);
  // the name replaces SPEAKER_xx in RTTM, whose columns are separated by whitespace
  if (/\s/.test(name)) throw new UsageError(`--voiceprint name "${name}" must not contain whitespace`);
  if (/^SPEAKER_\d+$/.test(name)) throw new UsageError(`--voiceprint name "${name}" would be mistaken for an unidentified speaker: choose another`);
  if (!existsSync(file)) throw new UsageError(`--voiceprint ${name}: file ${file} does not exist`);
  return { name, file };
}

/** Enrolls every --voiceprint with the embedding model of the run; a clip it refuses is named in the error. */
export async function enrollVoiceprints(engine: DiarizationEngine, files: readonly VoiceprintFile[], embedding?: string): Promise<VoiceprintRef[]> {
  const voiceprints: VoiceprintRef[] = [];
  for (const { name, file } of files) {
    try {
      const voice = await engine.embedVoice(file, { embedding });
      voiceprints.push({ id: name, label: name, model: voice.model, embedding: voice.embedding });
    } catch (error) {
      if (isDiarizationError(error)) throw new UsageError(`--voiceprint ${name}=${file}: ${error.message}`);
      throw error;
    }
  }
  return voiceprints;
}

/** The result with identified speakers renamed to their voiceprint's name (for RTTM, HTML, subtitles). */
export function withIdentifiedNames(result: DiarizationResult): DiarizationResult {
  const names = new Map(result.identification?.flatMap((i) => (i.voiceprint ? [[i.speaker, i.voiceprint.label] as const] : [])));
  if (names.size === 0) return result;
  const rename = (speaker: string) => names.get(speaker) ?? speaker;
  return {
    ...result,
    segments: result.segments.map((s) => ({ ...s, speaker: rename(s.speaker) })),
    speakers: result.speakers.map((s) => ({ ...s, speaker: rename(s.speaker) })),
    ...(result.speakerEmbeddings && {
      speakerEmbeddings: { ...result.speakerEmbeddings, vectors: result.speakerEmbeddings.vectors.map((v) => ({ ...v, speaker: rename(v.speaker) })) },
    }),
    identification: result.identification?.map((i) => ({ ...i, speaker: rename(i.speaker) })),
  };
}

/** What --embeddings and --voiceprint add to the JSON output. */
export function voiceJson(result: DiarizationResult) {
  return {
    ...(result.speakerEmbeddings && { speaker_embeddings: result.speakerEmbeddings }),
    ...(result.identification && { identification: result.identification }),
  };
}
