import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger, ServiceConfig } from '@diarization/config';

export type RequestLimits = ServiceConfig['requestLimits'];

/** How often the limits are checked: a quarter of the shortest one, at most every second. */
export function checkIntervalMs(limits: RequestLimits): number {
  const shortest = Math.min(limits.headersTimeoutMs, limits.idleTimeoutMs, limits.requestTimeoutMs);
  return Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
}

/**
 * Node's own limits, given when the server is created: the headers timeout (checked every
 * `connectionsCheckingInterval`, 30 s by default: too coarse). Node's whole-request timeout is
 * off: RequestDeadlines enforces it, with the idle limit, so that both answer the same way.
 */
export function nodeServerOptions(limits: RequestLimits): ServerOptions {
  return {
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: 0,
    connectionsCheckingInterval: checkIntervalMs(limits),
  };
}

const seconds = (ms: number): string => `${Math.round(ms) / 1000} s`;

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/**
 * Answers `{"error": message}` on the raw socket when nothing of a response has been sent on it
 * yet and it can still be written, then closes it. Closing fails the request body stream, which
 * makes the upload handler discard its partial object and temp folder.
 */
function refuse(socket: Socket, response: ServerResponse | null | undefined, status: number, message: string): void {
  if (socket.destroyed) return;
  if (socket.writable && !(response?.headersSent ?? false)) {
    const body = JSON.stringify({ error: message });
    socket.write(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

interface Pending {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
  startedAt: number;
  bytesRead: number;
  lastByteAt: number;
}

/**
 * Limits on receiving requests, so that a client that stops sending (or sends a byte now and
 * then) cannot hold a connection, a temp folder and a partial object forever, nor block a
 * graceful shutdown:
 *
 * - headers: Node's `headersTimeout` (see nodeServerOptions); answered here via 'clientError';
 * - idle: no byte received for `idleTimeoutMs` while the request body is incomplete;
 * - whole request: the body not complete `requestTimeoutMs` after the request began.
 *
 * Only the receiving is limited: once the request is complete, the server may take as long as
 * it needs to answer (POST /diarize waits up to SYNC_TIMEOUT_SECONDS without a byte either way).
 * Each limit answers 408 `{"error": ...}` where the connection allows it, then closes it.
 */
export class RequestDeadlines {
  private readonly pending = new Map<IncomingMessage, Pending>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    server: Server,
    private readonly limits: RequestLimits,
    private readonly logger: Logger,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.track(request, response));
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.onClientError(error, socket));
    this.timer = setInterval(() => this.check(), checkIntervalMs(limits));
    this.timer.unref();
  }

  /** Requests whose body is still arriving. */
  get receiving(): number {
    return this.pending.size;
  }

  stop(): void {
    clearInterval(this.timer);
    this.pending.clear();
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    if (request.complete) return;
    const now = Date.now();
    const socket = request.socket;
    this.pending.set(request, { request, response, socket, startedAt: now, bytesRead: socket.bytesRead, lastByteAt: now });
  }

  private check(): void {
    const now = Date.now();
    for (const entry of this.pending.values()) {
      const { request, socket } = entry;
      if (request.complete || socket.destroyed) {
        this.pending.delete(request);
        continue;
      }
      if (socket.bytesRead !== entry.bytesRead) {
        entry.bytesRead = socket.bytesRead;
        entry.lastByteAt = now;
      }
      if (now - entry.startedAt >= this.limits.requestTimeoutMs) {
        this.expire(entry, 'request', `the request took longer than ${seconds(this.limits.requestTimeoutMs)} to arrive (the server's REQUEST_TIMEOUT_SECONDS); nothing was kept`);
      } else if (now - entry.lastByteAt >= this.limits.idleTimeoutMs) {
        this.expire(entry, 'idle', `the request stalled: no data for ${seconds(this.limits.idleTimeoutMs)} (the server's REQUEST_IDLE_TIMEOUT_SECONDS); nothing was kept`);
      }
    }
  }

  private expire(entry: Pending, limit: 'idle' | 'request', message: string): void {
    this.pending.delete(entry.request);
    this.logger.warn('request timed out; closing the connection', {
      limit,
      method: entry.request.method,
      path: entry.request.url?.split('?')[0],
      received_bytes: entry.socket.bytesRead,
      seconds: (Date.now() - entry.startedAt) / 1000,
    });
    refuse(entry.socket, entry.response, 408, message);
  }

  /** Replaces Node's default answer to a bad or late request head (plain text) with JSON. */
  private onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      this.logger.warn('request headers timed out; closing the connection', { received_bytes: socket.bytesRead });
      refuse(socket, response, 408, `the request headers took longer than ${seconds(this.limits.headersTimeoutMs)} to arrive (the server's REQUEST_HEADERS_TIMEOUT_SECONDS)`);
      return;
    }
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') return refuse(socket, response, 431, 'the request headers are too large');
    if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return refuse(socket, response, 413, 'the chunk extensions are too large');
    refuse(socket, response, 400, 'malformed HTTP request');
  }
}
