import { hashToken, matchToken } from '@diarization/jobs';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth as honoBearerAuth } from 'hono/bearer-auth';
import type { AppEnv } from './app-env';

const CHALLENGE = 'Bearer realm="diarization"';
export const MISSING_TOKEN = 'missing bearer token: send the header "Authorization: Bearer <token>"';
export const INVALID_TOKEN = 'invalid bearer token';

/** Our 401: `{"error": ...}` (bearer-auth adds the WWW-Authenticate challenge). */
const unauthorized = (message: string) => (c: Context) => c.json({ error: message }, 401);

/**
 * Bearer-token auth against DIARIZATION_TOKEN (Hono's bearer-auth). Tokens are compared in
 * constant time by matchToken, and the job owner is the hash of the token.
 */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler<AppEnv> {
  return honoBearerAuth({
    realm: 'diarization',
    verifyToken: (token, c) => {
      if (!matchToken(token, tokens)) return false;
      c.set('owner', hashToken(token));
      return true;
    },
    noAuthenticationHeader: { message: unauthorized(MISSING_TOKEN), wwwAuthenticateHeader: CHALLENGE },
    // "Basic ...", "Bearer" alone, characters no token has: as good as no token
    invalidAuthenticationHeader: { message: unauthorized(MISSING_TOKEN), wwwAuthenticateHeader: CHALLENGE },
    invalidToken: { message: unauthorized(INVALID_TOKEN), wwwAuthenticateHeader: CHALLENGE },
  });
}
