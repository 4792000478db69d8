import { ListenError } from './server';

/** A server that cannot start says why in one line and exits 1 (no stack trace). */
export function exitOnStartFailure(error: unknown): never {
  const message = error instanceof ListenError ? error.message : `could not start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
