import { z } from 'zod';
import { DiarizationError } from './errors';
import { RECIPES, type DiarizeOptions, type Recipe } from './types';

const speakerCount = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000');

const optionsSchema = z
  .object({
    numSpeakers: speakerCount.optional(),
    minSpeakers: speakerCount.optional(),
    maxSpeakers: speakerCount.optional(),
    exclusive: z.boolean().optional(),
    recipe: z.enum(RECIPES as [Recipe, ...Recipe[]]).optional(),
    embedding: z.string().min(1).optional(),
  })
  .superRefine((options, context) => {
    const min = options.numSpeakers ?? options.minSpeakers ?? 1;
    const max = options.numSpeakers ?? options.maxSpeakers ?? Infinity;
    if (min > max) {
      context.addIssue({
        code: 'custom',
        message: `minSpeakers (${min}) must not be larger than maxSpeakers (${max})`,
      });
    }
  });

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
  };
}
