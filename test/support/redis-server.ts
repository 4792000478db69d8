import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort, waitFor } from './ports';
import { makeTempDir } from './temp-dir';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  url: string;
  /**
   * Stops the server (SIGKILL, like a crash); `start()` brings it back on the same port: empty,
   * or with what its append-only file kept when started `persistent`.
   */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  close(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

/**
 * A private redis-server on a free port, never the shared one on 6379; `persistent`: with an
 * append-only file (fsync every write), as production runs it, so that a restart keeps the data.
 */
export async function startRedis(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const dataDir = options.persistent ? makeTempDir('redis-aof-') : undefined;
  const persistence = dataDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir.path] : ['--appendonly', 'no'];

  const start = async (): Promise<void> => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      stdio: 'ignore',
    });
    await waitFor(`redis-server on port ${port}`, () => ping(port), { timeoutMs: 10_000, intervalMs: 50 });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  const close = async (): Promise<void> => {
    await stop();
    dataDir?.remove();
  };
  return { port, url: `redis://127.0.0.1:${port}`, start, stop, close };
}
