import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  /** Use this as the S3 endpoint. */
  url: string;
  /** Resolves when the first request matching the filter has arrived and is being held. */
  held: Promise<void>;
  /** Lets the held request through; resolves once the upstream has answered it. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a real server that holds the first request matching `hold`
 * (body fully received) until release(): a request "in flight" for as long as a test needs.
 */
export async function startHoldingProxy(upstream: string, hold: (request: IncomingMessage) => boolean): Promise<HoldingProxy> {
  const target = new URL(upstream);
  let holding = false;
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  let releaseGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (releaseGate = resolve));
  let markAnswered: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (markAnswered = resolve));

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const isHeld = !holding && hold(incoming);
      if (isHeld) {
        holding = true;
        markHeld();
      }
      void (isHeld ? gate : Promise.resolve()).then(() => {
        const forwarded = request(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (answer) => {
            // Answer even if the client has gone away (an aborted SDK request).
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              if (isHeld) markAnswered();
              if (!outgoing.destroyed) outgoing.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
            });
          },
        );
        forwarded.on('error', () => outgoing.destroy());
        forwarded.end(Buffer.concat(chunks));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release: async () => {
      releaseGate();
      await answered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        releaseGate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
