import type { LogLevel } from './config';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Turns errors into plain fields, so a log line never depends on how an Error serializes. */
function normalize(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}

/** One JSON object per line on stdout (stderr for errors), the format log collectors expect. */
export function createLogger(level: LogLevel, base: LogFields = {}): Logger {
  const threshold = LEVELS[level];
  const write = (lineLevel: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LEVELS[lineLevel] < threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg: message, ...base, ...normalize(fields) });
    (lineLevel === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
