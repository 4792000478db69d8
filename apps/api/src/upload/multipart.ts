import { HttpError } from '../errors';

/** Headers of one part of a multipart/form-data body. */
export interface PartInfo {
  name: string;
  filename: string | null;
  contentType: string | null;
}

/** Receives a file part's bytes; awaiting `write` is the backpressure. */
export interface FileSink {
  write(chunk: Buffer): Promise<void>;
  end(): Promise<void>;
}

export interface MultipartHandler {
  onField(name: string, value: string): void;
  onFile(part: PartInfo): FileSink;
}

export interface MultipartLimits {
  maxFields: number;
  maxFieldBytes: number;
  maxHeaderBytes: number;
}

const DEFAULT_LIMITS: MultipartLimits = { maxFields: 32, maxFieldBytes: 16 * 1024, maxHeaderBytes: 16 * 1024 };
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const FINAL_DASHES = Buffer.from('--');

const malformed = (message: string): HttpError => new HttpError(400, `malformed multipart body: ${message}`);

/** The boundary of a multipart/form-data content type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** `name="x"; filename="y"` parameters of a Content-Disposition header. */
function dispositionParameters(value: string): Map<string, string> {
  const parameters = new Map<string, string>();
  const pattern = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (let match = pattern.exec(value); match !== null; match = pattern.exec(value)) {
    const key = match[1].toLowerCase();
    let raw = match[2].trim();
    if (raw.startsWith('"')) raw = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    if (key.endsWith('*')) {
      // RFC 5987: charset'lang'percent-encoded
      const encoded = /^[^']*'[^']*'(.*)$/.exec(raw);
      try {
        parameters.set(key.slice(0, -1), decodeURIComponent(encoded ? encoded[1] : raw));
      } catch {
        continue;
      }
    } else if (!parameters.has(key)) {
      parameters.set(key, raw);
    }
  }
  return parameters;
}

function parsePartHeaders(block: Buffer): PartInfo {
  let disposition: string | undefined;
  let contentType: string | null = null;
  for (const line of block.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    if (name === 'content-type') contentType = value;
  }
  if (disposition === undefined || !/^form-data\b/i.test(disposition)) throw malformed('a part has no form-data Content-Disposition');
  const parameters = dispositionParameters(disposition);
  const name = parameters.get('name');
  if (name === undefined) throw malformed('a part has no field name');
  return { name, filename: parameters.get('filename') ?? null, contentType };
}

/**
 * Reads a multipart/form-data body as a stream: file bytes go to the handler's sink as they
 * arrive (never the whole file in memory), text fields are collected up to a small limit.
 */
export async function parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  handler: MultipartHandler,
  limits: MultipartLimits = DEFAULT_LIMITS,
): Promise<void> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF lets the first boundary match the same pattern as the others.
  let buffer: Buffer = Buffer.from(CRLF);
  let state: 'preamble' | 'headers' | 'body' | 'end' = 'preamble';
  let part: { info: PartInfo; sink: FileSink | null; chunks: Buffer[]; bytes: number } | null = null;
  let fields = 0;

  const emit = async (data: Buffer): Promise<void> => {
    if (part === null || data.length === 0) return;
    if (part.sink !== null) return part.sink.write(data);
    part.bytes += data.length;
    if (part.bytes > limits.maxFieldBytes) throw new HttpError(400, `form field "${part.info.name}" is longer than ${limits.maxFieldBytes} bytes`);
    part.chunks.push(data);
  };

  const finishPart = async (): Promise<void> => {
    if (part === null) return;
    if (part.sink !== null) await part.sink.end();
    else handler.onField(part.info.name, Buffer.concat(part.chunks).toString('utf8'));
    part = null;
  };

  const startPart = (info: PartInfo): void => {
    if (++fields > limits.maxFields) throw new HttpError(400, `too many form fields (at most ${limits.maxFields})`);
    const isFile = info.filename !== null || info.name === 'file';
    part = { info, sink: isFile ? handler.onFile(info) : null, chunks: [], bytes: 0 };
  };

  /** After a delimiter: "--" ends the body, CRLF (after optional padding) starts a part. */
  const afterDelimiter = (from: number): 'wait' | 'end' | 'next' => {
    if (buffer.length < from + 2) return 'wait';
    if (buffer.subarray(from, from + 2).equals(FINAL_DASHES)) {
      state = 'end';
      buffer = Buffer.alloc(0);
      return 'end';
    }
    const lineEnd = buffer.indexOf(CRLF, from);
    if (lineEnd < 0) {
      if (buffer.length - from > 256) throw malformed('junk after a boundary');
      return 'wait';
    }
    if (!/^[ \t]*$/.test(buffer.subarray(from, lineEnd).toString('latin1'))) throw malformed('junk after a boundary');
    buffer = buffer.subarray(lineEnd + 2);
    state = 'headers';
    return 'next';
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      if (state === 'end') {
        buffer = Buffer.alloc(0); // the epilogue is ignored
        return;
      }
      if (state === 'headers') {
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (buffer.length > limits.maxHeaderBytes) throw malformed('part headers are too long');
          return;
        }
        startPart(parsePartHeaders(buffer.subarray(0, end)));
        buffer = buffer.subarray(end + HEADER_END.length);
        state = 'body';
        continue;
      }
      const found = buffer.indexOf(delimiter);
      if (found < 0) {
        // Keep a tail that could be the start of a delimiter split across chunks.
        const safe = buffer.length - (delimiter.length - 1);
        if (safe > 0) {
          if (state === 'body') await emit(buffer.subarray(0, safe));
          buffer = buffer.subarray(safe);
        }
        return;
      }
      if (state === 'body') {
        await emit(buffer.subarray(0, found));
        buffer = buffer.subarray(found);
        const next = afterDelimiter(delimiter.length);
        if (next === 'wait') return;
        await finishPart();
        if (next === 'end') return;
      } else {
        buffer = buffer.subarray(found);
        const next = afterDelimiter(delimiter.length);
        if (next !== 'next') return;
      }
    }
  };

  for await (const chunk of body) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    await drain();
  }
  if ((state as string) !== 'end') throw malformed('the body ended before its closing boundary (was the upload interrupted?)');
}
