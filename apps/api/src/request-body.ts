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
