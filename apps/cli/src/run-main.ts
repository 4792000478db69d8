import { isDiarizationError } from '@diarization/engine';

/** A mistake in how the command was called: one line, exit code 1 (and the usage on request). */
export class UsageError extends Error {}

/**
 * Runs a command's main function: on failure one line on stderr and exit code 1, never a stack
 * trace (set DEBUG=1 to see one).
 */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (process.env.DEBUG) console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      const prefix = isDiarizationError(error) || error instanceof UsageError ? '' : 'unexpected error: ';
      process.stderr.write(`${name}: ${prefix}${message.split('\n')[0]}\n`);
      process.exitCode = 1;
    },
  );
}
