/**
 * The one way a zod error becomes words: one "field: message" per problem, unknown keys as
 * "unknown field(s): a, b". The API, the engine's options, the model manifest and the service
 * configuration all word their problems with it.
 */
import type { z } from 'zod';

export interface ZodMessageOptions {
  /** What to call a problem with the whole value (empty path); by default no prefix. */
  rootLabel?: string;
  /** Word only the first `limit` problems, then "(and N more)" (a large document's errors). */
  limit?: number;
}

/** The issue's own message, without the field: "must be ...", "unknown field(s): a, b". */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}

/** One readable sentence per problem, naming the field: "num_speakers: must be ...". */
export function zodIssueMessages(error: z.ZodError, options: ZodMessageOptions = {}): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return issueMessage(issue);
    const field = issue.path.map(String).join('.') || options.rootLabel;
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}

/** Every problem in one line, separated by "; ". */
export function describeZodError(error: z.ZodError, options: ZodMessageOptions = {}): string {
  const messages = zodIssueMessages(error, options);
  const limit = options.limit ?? messages.length;
  const more = messages.length > limit ? ` (and ${messages.length - limit} more)` : '';
  return `${messages.slice(0, limit).join('; ')}${more}`;
}
