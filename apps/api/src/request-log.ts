import type { LogFields, Logger } from '@diarization/config';
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { contextStorage, tryGetContext } from 'hono/context-storage';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './app-env';

/** An incoming X-Request-Id longer than this is replaced by our own id. */
const MAX_REQUEST_ID_LENGTH = 64;

/**
 * X-Request-Id on every response (Hono's request-id: the caller's id when it is sane, letters,
 * digits, "_", "-" and "=", at most 64 characters; otherwise a new UUID), available to every
 * log line of the request as c.get('requestId').
 */
export const requestIds = (): MiddlewareHandler<AppEnv> =>
  requestId({ headerName: 'X-Request-Id', limitLength: MAX_REQUEST_ID_LENGTH, generator: () => randomUUID() });

/** Keeps the request's context in async local storage, where withRequestIds finds its id. */
export const requestContext = (): MiddlewareHandler<AppEnv> => contextStorage();

/**
 * A logger whose lines carry the id of the request being served (none outside requests, e.g.
 * the orphan sweep), so no call site has to remember to add it.
 */
export function withRequestIds(logger: Logger): Logger {
  const fieldsOf = (fields: LogFields = {}): LogFields => {
    const id = tryGetContext<AppEnv>()?.get('requestId');
    return id === undefined || 'request_id' in fields ? fields : { request_id: id, ...fields };
  };
  return {
    debug: (message, fields) => logger.debug(message, fieldsOf(fields)),
    info: (message, fields) => logger.info(message, fieldsOf(fields)),
    warn: (message, fields) => logger.warn(message, fieldsOf(fields)),
    error: (message, fields) => logger.error(message, fieldsOf(fields)),
    child: (fields) => withRequestIds(logger.child(fields)),
  };
}

/** One log line per request, with its id, status and duration. */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
}
