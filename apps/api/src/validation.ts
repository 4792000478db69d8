import type { z } from 'zod';
import { describeZodError } from '@diarization/config';
import { badRequest, type HttpError } from './errors';

/** One readable sentence per problem, naming the field (the one formatter, packages/common). */
export { describeZodError };

/** A JSON request body, validated: 400 for text that is not JSON, or JSON the schema refuses. */
export function parseJsonOrBadRequest<T extends z.ZodType>(schema: T, text: string): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  return parseOrBadRequest(schema, json);
}

export function parseOrBadRequest<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

function invalid(error: z.ZodError): HttpError {
  return badRequest(describeZodError(error));
}
