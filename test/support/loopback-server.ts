import { createReadStream, statSync } from 'node:fs';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on 127.0.0.1 and a free port: a webhook receiver, the host of an audio_url. */
export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  server: Server;
  /** Stops it, dropping kept-alive connections, so that nothing keeps jest from exiting. */
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: RequestListener): Promise<LoopbackServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers with a file and its Content-Length, as a file server does. */
export function sendFile(response: ServerResponse, path: string, contentType: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': statSync(path).size });
  createReadStream(path).pipe(response);
}
