import { hashToken, matchToken } from '@diarization/jobs';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './errors';
import type { AppEnv } from './app-env';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="diarization"' };

/** Bearer-token auth against DIARIZATION_TOKEN; the job owner is the hash of the token. */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new HttpError(401, 'missing bearer token: send the header "Authorization: Bearer <token>"', CHALLENGE);
    }
    if (!matchToken(match[1], tokens)) throw new HttpError(401, 'invalid bearer token', CHALLENGE);
    c.set('owner', hashToken(match[1]));
    await next();
  };
}
