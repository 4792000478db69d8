/** Hono context variables set by the middleware. */
export interface AppEnv {
  Variables: {
    /** sha256 of the caller's bearer token. */
    owner: string;
    requestId: string;
  };
}
