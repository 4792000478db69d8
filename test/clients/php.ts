import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from '../support/ports';

const PHP_DIR = join(__dirname, 'php');

/** What `php/client.php` reports after running snippets (absent keys: not set by them). */
export interface PhpClientReport {
  status?: number;
  replayed?: string;
  location?: string;
  jobId?: string;
  job?: Record<string, unknown>;
  rttm?: string;
  speakers?: { speaker: string; start: number; end: number }[];
  duration?: number;
  transcript?: Record<string, unknown>;
  srt?: string;
  exception?: { class: string; message: string; status: number; error: unknown };
}

/** Fails with what to install when PHP, Laravel's HTTP package or Guzzle is missing (.ci/run installs them). */
export function checkPhpClientStack(): void {
  try {
    execFileSync('php', ['-r', 'require "GuzzleHttp/autoload.php"; require "Illuminate/Http/autoload.php"; exit(class_exists("GuzzleHttp\\Client") ? 0 : 1);'], { stdio: 'pipe' });
  } catch {
    throw new Error('the PHP client suite needs PHP 8 with Laravel\'s HTTP client and Guzzle: apt-get install php-cli php-illuminate-http php-guzzlehttp-guzzle');
  }
}

function phpEnv(env: Record<string, string>): Record<string, string> {
  // Only what the scripts need: no developer settings leak in.
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
}

/** Runs README snippets (files) in order in one PHP process and returns its JSON report. */
export function runPhpClient(snippets: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<PhpClientReport> {
  return new Promise((resolve, reject) => {
    execFile('php', [join(PHP_DIR, 'client.php'), ...snippets], { env: phpEnv(env), timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`php client.php failed (${error.message}):\n${stdout}\n${stderr}`));
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(lastLine) as PhpClientReport);
      } catch {
        reject(new Error(`php client.php printed no JSON report:\n${stdout}\n${stderr}`));
      }
    });
  });
}

export interface PhpServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** PHP's built-in web server on a free loopback port, with `php/router.php` as its router. */
export async function startPhpServer(env: Record<string, string>): Promise<PhpServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, join(PHP_DIR, 'router.php')], {
    cwd: PHP_DIR,
    env: phpEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitFor('php -S to answer', async () => {
      if (child.exitCode !== null) throw new Error(`php -S exited: ${output}`);
      return (await fetch(`${url}/`)).status === 404;
    }, { timeoutMs: 15_000, intervalMs: 100 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}
