import { once } from 'node:events';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { HttpError } from '../errors';

/** Headers of one part of a multipart/form-data body. */
export interface PartInfo {
  name: string;
  /** Without directories and control characters (see cleanFilename); null when none was sent. */
  filename: string | null;
  /**
   * The part's media type (`type/subtype`, lower case), or null when none was sent. busboy reports
   * a part without Content-Type as text/plain, so text/plain also reads as null: clients that send
   * no type (Python requests, for one) must not be taken for text uploads.
   */
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
  /** Parts (fields and files together). */
  maxFields: number;
  /** Bytes of one text field's value. */
  maxFieldBytes: number;
}

/**
 * Bytes of one part's header block (its header lines and the blank line after them). busboy
 * fixes this at 16 KB (Node's own limit for HTTP headers; busboy counts 2 bytes of each header
 * line twice) and takes no option for it (its `headerPairs` limit is not implemented either),
 * so it is a constant here rather than a limit.
 */
export const MAX_PART_HEADER_BYTES = 16 * 1024;

/** The audio's field: sent as a text field (no filename, not octet-stream) it is refused with a hint. */
const FILE_FIELD = 'file';
const DEFAULT_LIMITS: MultipartLimits = { maxFields: 32, maxFieldBytes: 16 * 1024 };
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

const malformed = (message: string): HttpError => new HttpError(400, `malformed multipart body: ${message}`);
const ENDED_EARLY = 'the body ended before its closing boundary (was the upload interrupted?)';

/** The boundary of a multipart/form-data content type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional
 * overrides/isolates used to disguise extensions ("evil\u202Ewav.exe").
 */
const UNSAFE_FILENAME_CHARACTERS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A client's file name as it may be stored and shown: without control characters (a NUL, a
 * newline or an escape sequence must reach neither the job record nor the RTTM file id) and
 * trimmed; null when nothing is left. busboy has already dropped any directories.
 */
export function cleanFilename(filename: string | null | undefined): string | null {
  if (filename === null || filename === undefined) return null;
  const cleaned = filename.replace(UNSAFE_FILENAME_CHARACTERS, '').trim();
  return cleaned.length > 0 ? cleaned : null;
}

/** The boundary as a content-type parameter busboy parses back to the same string. */
function boundaryParameter(boundary: string): string {
  return `"${boundary.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Whether `window` (the body's last bytes when busboy gave up on a part header) holds a part
 * whose header block is longer than busboy's limit: busboy reports that and a header with bad
 * characters alike ("Malformed part header"), and the two deserve different answers.
 */
function headerTooLong(window: Buffer, delimiter: Buffer): boolean {
  for (let at = window.indexOf(delimiter); at >= 0; at = window.indexOf(delimiter, at + 1)) {
    const start = at + delimiter.length + CRLF.length;
    if (!window.subarray(at + delimiter.length, start).equals(CRLF)) continue;
    if (window.subarray(start, start + CRLF.length).equals(CRLF)) continue; // no header lines at all
    const end = window.indexOf(HEADER_END, start);
    const block = window.subarray(start, end < 0 ? window.length : end + HEADER_END.length);
    // busboy counts the first byte of each header value, and of each header name after the
    // first, twice.
    let lines = 0;
    for (let at = block.indexOf(CRLF); at >= 0 && at + CRLF.length < block.length; at = block.indexOf(CRLF, at + CRLF.length)) lines++;
    if (block.length + 2 * Math.max(1, lines) - 1 > MAX_PART_HEADER_BYTES) return true;
  }
  return false;
}

/**
 * Reads a multipart/form-data body with busboy, as a stream: file bytes go to the handler's
 * sink as they arrive (awaiting each write, so a slow store slows the upload down and the file
 * is never held in memory), text fields are collected up to a small limit. Errors are
 * HttpErrors with a message for the client (400 for a malformed body), or whatever the handler
 * or a sink threw (a 413, a storage failure), unchanged.
 */
export async function parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  handler: MultipartHandler,
  limits: MultipartLimits = DEFAULT_LIMITS,
): Promise<void> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': `multipart/form-data; boundary=${boundaryParameter(boundary)}` },
      // Field values are checked below (busboy truncates them silently); parts are counted below
      // (busboy's `parts` limit fires on the last allowed part already). File sizes are the sink's.
      limits: { fieldSize: limits.maxFieldBytes, fieldNameSize: 256 },
      // Browsers send non-ASCII file names as raw UTF-8.
      defParamCharset: 'utf8',
    });
  } catch {
    throw malformed('the boundary in Content-Type cannot be used');
  }

  const delimiter = Buffer.from(`\r\n--${boundary}`);
  /**
   * Bytes of text fields, part headers and skipped parts together. busboy reads an oversized
   * field to its end before saying it was truncated, so this bounds how much of such a body is
   * read (an audio file sent as a plain field, say) before it is refused.
   */
  const maxFormBytes = limits.maxFields * (limits.maxFieldBytes + MAX_PART_HEADER_BYTES + delimiter.length + 4);
  let failure = null as { error: unknown } | null;
  let rejectFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  const fail = (error: unknown): void => {
    if (failure !== null) return;
    failure = { error };
    rejectFailed(error);
  };

  /**
   * The body's last bytes: what busboy has not processed yet and the part header's worth before
   * it, for telling an oversized part header from a malformed one.
   */
  const recent: Buffer[] = [CRLF]; // busboy reads the body as if it started with CRLF
  let recentBytes = CRLF.length;
  const remember = (chunk: Buffer): void => {
    const keep = MAX_PART_HEADER_BYTES + delimiter.length + CRLF.length + parser.writableLength;
    recent.push(chunk);
    recentBytes += chunk.length;
    while (recent.length > 1 && recentBytes - recent[0].length - chunk.length >= keep) recentBytes -= recent.shift()!.length;
  };
  const busboyError = (error: Error): unknown => {
    switch (error.message) {
      case 'Unexpected end of form':
      case 'Unexpected end of file':
        return malformed(ENDED_EARLY);
      case 'Malformed part header':
        return headerTooLong(Buffer.concat(recent), delimiter)
          ? malformed(`a part's headers are longer than ${MAX_PART_HEADER_BYTES} bytes`)
          : malformed("a part's headers are not valid (a control character, or a line that is not a header)");
      default:
        return error;
    }
  };

  let parts = 0;
  const countPart = (name: string | undefined): string => {
    if (++parts > limits.maxFields) throw new HttpError(400, `too many form fields (at most ${limits.maxFields})`);
    if (name === undefined || name.length === 0) throw malformed('a part has no field name');
    return name;
  };

  let fileBytes = 0;
  const fileStreams: Readable[] = [];
  const fileTasks: Promise<void>[] = [];

  parser.on('field', (name: string | undefined, value: string, info: busboy.FieldInfo) => {
    if (failure !== null) return;
    try {
      const field = countPart(name);
      // busboy streams a part only when it has a filename or is application/octet-stream.
      if (field === FILE_FIELD) throw new HttpError(400, `send the audio in the field "${FILE_FIELD}" as a file, with a filename (curl: -F ${FILE_FIELD}=@audio.wav)`);
      if (info.valueTruncated) throw new HttpError(400, `form field "${field}" is longer than ${limits.maxFieldBytes} bytes`);
      handler.onField(field, value);
    } catch (error) {
      fail(error);
    }
  });

  parser.on('file', (name: string | undefined, stream: Readable, info: busboy.FileInfo) => {
    if (failure !== null) {
      stream.resume();
      return;
    }
    fileStreams.push(stream);
    const task = (async () => {
      const field = countPart(name);
      const type = info.mimeType.toLowerCase();
      const sink = handler.onFile({ name: field, filename: cleanFilename(info.filename), contentType: type === 'text/plain' ? null : type });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        fileBytes += chunk.length;
        await sink.write(chunk);
      }
      await sink.end();
    })();
    fileTasks.push(
      task.catch((error: unknown) => {
        stream.destroy();
        fail(error instanceof Error ? busboyError(error) : error);
      }),
    );
  });

  parser.on('error', (error: Error) => fail(busboyError(error)));
  const finished = once(parser, 'finish');
  finished.catch(() => undefined); // an 'error' rejects it; `failed` reports that one

  let fed = 0;
  try {
    for await (const chunk of body) {
      if (failure !== null) break;
      const current = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      fed += current.length;
      remember(current);
      const more = parser.write(current);
      // What busboy has taken in that is neither file data (read, or buffered for reading) nor
      // still waiting in its input buffer: never more than the form bytes, so never a false alarm.
      const buffered = fileStreams.reduce((bytes, stream) => bytes + stream.readableLength, 0);
      if (fed - fileBytes - buffered - parser.writableLength > maxFormBytes) {
        fail(
          new HttpError(
            400,
            `the form fields are larger than ${maxFormBytes} bytes in all (at most ${limits.maxFieldBytes} bytes each); ` +
              `send the audio as a file, with a filename, in the field "${FILE_FIELD}"`,
          ),
        );
      }
      if (!more && failure === null) await Promise.race([once(parser, 'drain'), failed]);
    }
    if (failure === null) {
      parser.end();
      await Promise.race([finished, failed]);
    }
    await Promise.race([Promise.all(fileTasks), failed]);
  } catch (error) {
    fail(error instanceof Error ? busboyError(error) : error);
  } finally {
    if (failure !== null) {
      parser.destroy();
      for (const stream of fileStreams) stream.destroy();
      // Every file task settles (its stream is destroyed), so none is left writing into a sink
      // the caller is about to discard.
      await Promise.all(fileTasks);
    }
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}
