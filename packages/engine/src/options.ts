import { z } from 'zod';
import { DiarizationError } from './errors';
import { PRESETS, RECIPES, type DiarizeOptions, type Preset, type Recipe } from './types';
import { ENGINE_SPEAKER_FIELDS, refineSpeakerBounds, speakerCountSchema } from './speaker-bounds-schema';

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
}

export function validateOptions(options: DiarizeOptions): ValidatedOptions {
  const { onProgress: _progress, signal: _signal, ...plain } = options;
  const parsed = optionsSchema.safeParse(plain);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
    throw new DiarizationError('INVALID_OPTIONS', `invalid options: ${message}`);
  }
  const o = parsed.data;
  const minSpeakers = o.numSpeakers ?? o.minSpeakers ?? 1;
  const maxSpeakers = o.numSpeakers ?? o.maxSpeakers ?? Infinity;
  const numSpeakers = o.numSpeakers ?? (minSpeakers === maxSpeakers ? minSpeakers : undefined);
  return {
    bounds: { numSpeakers, minSpeakers, maxSpeakers },
    exclusive: o.exclusive ?? false,
    recipe: o.recipe,
    embedding: o.embedding,
    windowStep: o.windowStep ?? PRESETS[o.preset ?? 'default'].windowStep,
  };
}
