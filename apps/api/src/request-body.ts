import { HttpError } from './errors';

/** A web ReadableStream as an async iterable of byte chunks. */
export async function* streamChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads a small body (JSON) with a size cap. */
export async function readSmallBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of streamChunks(body)) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `the JSON body is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads and drops what is left of a refused upload (bounded in bytes and time), so the client,
 * still sending, can read the error instead of seeing its connection reset.
 */
export async function discardRest(
  body: ReadableStream<Uint8Array> | null,
  { maxBytes = 32 * 1024 * 1024, maxMs = 10_000 }: { maxBytes?: number; maxMs?: number } = {},
): Promise<void> {
  if (body === null || body.locked) return;
  const deadline = Date.now() + maxMs;
  let dropped = 0;
  const reader = body.getReader();
  try {
    while (dropped <= maxBytes && Date.now() < deadline) {
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref());
      const next = await Promise.race([reader.read(), timeout]);
      if (next === 'timeout' || next.done) return;
      dropped += next.value.length;
    }
  } catch {
    // The client went away: nothing left to drain.
  } finally {
    reader.releaseLock();
  }
}
