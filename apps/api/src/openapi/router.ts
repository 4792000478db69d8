import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env';
import { badRequest } from '../errors';
import { describeZodError } from '../validation';
import { errorSchema } from './schemas';

/**
 * A router whose routes are declared with createRoute: zod validates their params and queries,
 * and a failed validation is our 400 `{"error": "field: message"}` (thrown, so app.onError
 * answers it like every other error). Sub-routers mounted with app.route() inherit the hook.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw badRequest(describeZodError(result.error));
    },
  });
}

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid request: the message names the field and the problem.',
  401: 'Missing or invalid bearer token (with `WWW-Authenticate: Bearer realm="diarization"`).',
  404: 'No such job (unknown, expired, or created with another token).',
  408: 'The request took too long to arrive (REQUEST_TIMEOUT_SECONDS, REQUEST_IDLE_TIMEOUT_SECONDS); nothing was kept.',
  409: 'Conflict: see the message.',
  413: 'The audio is larger than MAX_UPLOAD_BYTES.',
  415: 'Unsupported content type: see the message.',
  422: 'The request is well-formed but cannot be processed: see the message.',
  500: 'Internal error; the message holds a request id to find in the server log.',
  503: 'Redis or storage is unavailable; retry after `Retry-After` seconds.',
};

export type ErrorStatus = 400 | 401 | 404 | 408 | 409 | 413 | 415 | 422 | 500 | 503;

/** Statuses whose answer may say when to try again. */
const RETRY_AFTER: readonly ErrorStatus[] = [409, 503];
const retryAfterHeader = { 'Retry-After': { description: 'Seconds to wait before trying again (when the answer says so).', schema: { type: 'integer' as const } } };

interface ErrorResponse {
  description: string;
  headers?: typeof retryAfterHeader;
  content: { 'application/json': { schema: typeof errorSchema } };
}

/** `{"error": ...}` answers for the statuses given, each described (`overrides` for route-specific wording). */
export function errorResponses<S extends ErrorStatus>(statuses: readonly S[], overrides: Partial<Record<S, string>> = {}): Record<S, ErrorResponse> {
  return Object.fromEntries(
    statuses.map((status): [S, ErrorResponse] => [
      status,
      {
        description: overrides[status] ?? DESCRIPTIONS[status],
        ...(RETRY_AFTER.includes(status) ? { headers: retryAfterHeader } : {}),
        content: { 'application/json': { schema: errorSchema } },
      },
    ]),
  ) as Record<S, ErrorResponse>;
}

/** Every route: the answers any request may get (auth failures are added where auth applies). */
export const ALWAYS = [500, 503] as const;
/** Routes behind the bearer token. */
export const AUTHENTICATED = [401, 500, 503] as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/**
 * A request body that is documented but not read by a validator: our own parser streams it
 * (a validator would buffer the whole upload). The schemas are registered as components.
 */
export function streamedBody(
  router: OpenAPIHono<AppEnv>,
  content: Record<string, { name: string; schema: z.ZodType }>,
  description: string,
) {
  const documented: Record<string, { schema: { $ref: string } }> = {};
  for (const [mediaType, { name, schema }] of Object.entries(content)) {
    router.openAPIRegistry.register(name, schema);
    documented[mediaType] = { schema: { $ref: `#/components/schemas/${name}` } };
  }
  return { required: true, description, content: documented };
}
