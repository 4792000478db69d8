import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { waitFor } from './ports';

export const REPO_ROOT = resolve(__dirname, '../..');
export const WORKER_MAIN = resolve(REPO_ROOT, 'apps/worker/dist/main.js');

export interface SpawnedService {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Kills the whole process group (the BullMQ children too), like a container being killed. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal to the main process only and waits for it to exit. */
  signal(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs a built entry point (`node apps/.../dist/x.js`) with the given environment. */
export function spawnService(script: string, env: Record<string, string>): SpawnedService {
  const child = spawn(process.execPath, [script], {
    // Not the checkout: a developer's ./.env must not leak into the test processes.
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then everything it printed has been read.
  const exited = new Promise<number | null>((resolveExit) => child.once('close', (code) => resolveExit(code)));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      waitFor(`${script} to print ${pattern}`, async () => {
        if (pattern.test(output)) return true;
        if (!running()) throw new Error(`${script} exited early:\n${output.slice(-3000)}`);
        return false;
      }, { timeoutMs, intervalMs: 50 }).then(() => undefined),
    kill: async (signal = 'SIGKILL') => {
      if (!running() || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        return;
      }
      await exited;
    },
    signal: async (signal) => {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}

/** The pids of a process's children (e.g. a worker's BullMQ sandbox children). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => Number.isInteger(child) && child > 0);
  } catch {
    // ps exits 1 when there are none.
    return [];
  }
}

/** Whether a process still runs: not gone, and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && state !== 'X';
}

/** SIGKILL to processes a test found, should they still run (nothing may outlive a test). */
export function killIfRunning(pids: number[]): void {
  for (const pid of pids) {
    if (!isRunning(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
