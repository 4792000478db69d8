import type { z } from 'zod';
import { describeZodError } from '@diarization/config';
import { badRequest, type HttpError } from './errors';

/** One readable sentence per problem, naming the field (the one formatter, packages/common). */
export { describeZodError };

export function parseOrBadRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

function invalid(error: z.ZodError): HttpError {
  return badRequest(describeZodError(error));
}
