import { z } from 'zod';
import { describeZodError } from '@diarization/common';
import { resolveSpeakerBounds } from './clustering/speaker-bounds';
import { DiarizationError } from './errors';
import { PRESETS, RECIPES, type DiarizeOptions, type Preset, type Recipe, type VoiceprintRef } from './types';
import { ENGINE_SPEAKER_FIELDS, refineSpeakerBounds, speakerCountSchema } from './speaker-bounds-schema';

const voiceprintSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  model: z.string().min(1),
  embedding: z.array(z.number().finite()).min(1, 'must not be empty'),
});

// Counts and how they combine: one definition for the engine, the job API and the CLI.
const speakerCount = speakerCountSchema;

const optionsSchema = z
  .object({
    numSpeakers: speakerCount.optional(),
    minSpeakers: speakerCount.optional(),
    maxSpeakers: speakerCount.optional(),
    exclusive: z.boolean().optional(),
    recipe: z.enum(RECIPES as [Recipe, ...Recipe[]]).optional(),
    embedding: z.string().min(1).optional(),
    windowStep: z.number().min(0.1, 'must be at least 0.1 seconds').max(10, 'must be at most 10 seconds (the window)').optional(),
    preset: z.enum(Object.keys(PRESETS) as [Preset, ...Preset[]]).optional(),
    returnEmbeddings: z.boolean().optional(),
    voiceprints: z.array(voiceprintSchema).optional(),
    identifyThreshold: z.number().min(-1, 'must be a cosine similarity, -1..1').max(1, 'must be a cosine similarity, -1..1').optional(),
  })
  .superRefine(refineSpeakerBounds(ENGINE_SPEAKER_FIELDS));

/** Speaker-count bounds after pyannote's set_num_speakers: numSpeakers overrides min and max. */
export interface SpeakerBounds {
  numSpeakers?: number;
  minSpeakers: number;
  maxSpeakers: number;
}

export interface ValidatedOptions {
  bounds: SpeakerBounds;
  exclusive: boolean;
  recipe?: Recipe;
  embedding?: string;
  /** Seconds between window starts, from `windowStep` or the preset. */
  windowStep: number;
  returnEmbeddings: boolean;
  voiceprints: VoiceprintRef[];
  identifyThreshold?: number;
}

export function validateOptions(options: DiarizeOptions): ValidatedOptions {
  const { onProgress: _progress, signal: _signal, ...plain } = options;
  const parsed = optionsSchema.safeParse(plain);
  if (!parsed.success) {
    throw new DiarizationError('INVALID_OPTIONS', `invalid options: ${describeZodError(parsed.error)}`);
  }
  const o = parsed.data;
  // pyannote's set_num_speakers, stated once (clustering/speaker-bounds.ts)
  const resolved = resolveSpeakerBounds({ numClusters: o.numSpeakers, minClusters: o.minSpeakers, maxClusters: o.maxSpeakers });
  return {
    bounds: { numSpeakers: resolved.numClusters, minSpeakers: resolved.minClusters, maxSpeakers: resolved.maxClusters },
    exclusive: o.exclusive ?? false,
    recipe: o.recipe,
    embedding: o.embedding,
    windowStep: o.windowStep ?? PRESETS[o.preset ?? 'default'].windowStep,
    returnEmbeddings: o.returnEmbeddings ?? false,
    voiceprints: o.voiceprints ?? [],
    identifyThreshold: o.identifyThreshold,
  };
}
