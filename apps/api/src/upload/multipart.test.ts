import { HttpError } from '../errors';
import { cleanFilename, MAX_PART_HEADER_BYTES, multipartBoundary, parseMultipart, type FileSink } from './multipart';

const BOUNDARY = '----test-boundary-7MA4YWxk';

function body(parts: string[]): Buffer {
  return Buffer.from(`preamble\r\n${parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join('')}--${BOUNDARY}--\r\nepilogue`, 'latin1');
}

/** Feeds the body in chunks of `size` bytes, so delimiters split at every possible place. */
async function* chunked(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function parse(data: Buffer, chunkSize: number) {
  const fields: Record<string, string> = {};
  const files: { name: string; filename: string | null; bytes: Buffer }[] = [];
  await parseMultipart(chunked(data, chunkSize), BOUNDARY, {
    onField: (name, value) => {
      fields[name] = value;
    },
    onFile: (part): FileSink => {
      const chunks: Buffer[] = [];
      return {
        write: async (chunk) => {
          chunks.push(Buffer.from(chunk));
        },
        end: async () => {
          files.push({ name: part.name, filename: part.filename, bytes: Buffer.concat(chunks) });
        },
      };
    },
  });
  return { fields, files };
}

describe('parseMultipart', () => {
  // File bytes that contain CRLFs, dashes and a near-boundary.
  const fileBytes = Buffer.concat([Buffer.from(`RIFF\r\n--${BOUNDARY.slice(0, 10)}\r\n--\r\n`, 'latin1'), Buffer.alloc(3000, 0xab)]);
  const data = Buffer.concat([
    Buffer.from(`preamble\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="num_speakers"\r\n\r\n2\r\n`, 'latin1'),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="my talk.wav"\r\nContent-Type: audio/wav\r\n\r\n`, 'latin1'),
    fileBytes,
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="exclusive"\r\n\r\ntrue\r\n--${BOUNDARY}--\r\n`, 'latin1'),
  ]);

  it.each([1, 2, 7, 33, 64, 1000, 100_000])('gives the same fields and file bytes with %i-byte chunks', async (size) => {
    const { fields, files } = await parse(data, size);
    expect(fields).toEqual({ num_speakers: '2', exclusive: 'true' });
    expect(files).toHaveLength(1);
    expect(files[0].filename).toBe('my talk.wav');
    expect(files[0].bytes.equals(fileBytes)).toBe(true);
  });

  it('decodes RFC 5987 file names', async () => {
    const { files } = await parse(
      body([`Content-Disposition: form-data; name="file"; filename="x.wav"; filename*=UTF-8''r%C3%A9union.wav\r\n\r\nabc`]),
      5,
    );
    expect(files[0]).toMatchObject({ filename: 'réunion.wav', bytes: Buffer.from('abc') });
  });

  it('refuses a body that ends before the closing boundary', async () => {
    const truncated = data.subarray(0, data.length - 30);
    await expect(parse(truncated, 64)).rejects.toThrow(/ended before its closing boundary/);
  });

  it('refuses oversized fields and parts without a name', async () => {
    await expect(parse(body([`Content-Disposition: form-data; name="x"\r\n\r\n${'a'.repeat(20_000)}`]), 512)).rejects.toThrow(
      /form field "x" is longer than/,
    );
    await expect(parse(body(['Content-Disposition: form-data\r\n\r\nabc']), 512)).rejects.toThrow(/no field name/);
  });

  it('reads the boundary from the content type', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeNull();
    expect(multipartBoundary('multipart/form-data')).toBeNull();
  });
});

/** What parseMultipart threw, as {status, message}. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseMultipart (busboy) limits and file names', () => {
  const disposition = (extra: string) => `Content-Disposition: form-data; name="file"; filename="a.wav"${extra}\r\nContent-Type: audio/wav\r\n\r\nabc`;

  it.each([1000, 4096, 65536, 1_000_000])('refuses a part header over 16 KB with a clear 400 (%i-byte chunks)', async (size) => {
    const data = body([`${disposition('')}`.replace('Content-Type: audio/wav', `Content-Type: audio/wav\r\nX-Padding: ${'p'.repeat(20 * 1024)}`)]);
    expect(await refusal(parse(data, size))).toEqual({ status: 400, message: `malformed multipart body: a part's headers are longer than ${MAX_PART_HEADER_BYTES} bytes` });
  });

  it('refuses a 20 KB file name the same way, and accepts a part header just under 16 KB', async () => {
    const long = body([`Content-Disposition: form-data; name="file"; filename="${'n'.repeat(20 * 1024)}.wav"\r\n\r\nabc`]);
    expect((await refusal(parse(long, 100_000))).message).toMatch(/headers are longer than 16384 bytes/);
    const header = `Content-Disposition: form-data; name="file"; filename="a.wav"\r\nX-Padding: `;
    const fits = body([`${header}${'p'.repeat(MAX_PART_HEADER_BYTES - 16 - header.length - 4)}\r\n\r\nabc`]);
    const { files } = await parse(fits, 100_000);
    expect(files[0]).toMatchObject({ filename: 'a.wav', bytes: Buffer.from('abc') });
    // One byte past busboy's count (it counts 2 bytes of each header line twice).
    const over = body([`${header}${'p'.repeat(MAX_PART_HEADER_BYTES - 3 + 1 - header.length - 4)}\r\n\r\nabc`]);
    expect((await refusal(parse(over, 100_000))).message).toMatch(/headers are longer than 16384 bytes/);
  });

  it('refuses a header line with a control character as malformed (400)', async () => {
    const data = body(['Content-Disposition: form-data; name="file"; filename="a\u0000.wav"\r\n\r\nabc']);
    expect(await refusal(parse(data, 64))).toEqual({
      status: 400,
      message: "malformed multipart body: a part's headers are not valid (a control character, or a line that is not a header)",
    });
  });

  it('strips control characters from file names (a NUL must not reach the job record or the RTTM id)', async () => {
    const cases: [string, string | null][] = [
      [`filename*=UTF-8''ta%00lk%1B%0A.wav`, 'talk.wav'],
      [`filename="r\u00c2\u0085eunion\t.wav"`, 'reunion.wav'],
      [`filename*=UTF-8''%E2%80%AEvaw.exe`, 'vaw.exe'],
      [`filename*=UTF-8''%00%01`, null],
      [`filename="C:\\\\Users\\\\me\\\\talk.wav"`, 'talk.wav'],
    ];
    for (const [parameter, expected] of cases) {
      const data = Buffer.concat([
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; `, 'latin1'),
        Buffer.from(parameter, 'latin1'),
        Buffer.from(`\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`, 'latin1'),
      ]);
      const { files } = await parse(data, 7);
      expect({ parameter, filename: files[0].filename }).toEqual({ parameter, filename: expected });
    }
    expect(cleanFilename('a\u0000b\u007f\u009f\u2028\u2066c.wav')).toBe('abc.wav');
    expect(cleanFilename(undefined)).toBeNull();
  });

  it('reports the part content type, null when none was sent (busboy says text/plain then)', async () => {
    const types: (string | null)[] = [];
    const data = (header: string) => body([`Content-Disposition: form-data; name="file"; filename="a.wav"${header}\r\n\r\nabc`]);
    for (const header of ['', '\r\nContent-Type: Audio/WAV', '\r\nContent-Type: application/json; charset=utf-8', '\r\nContent-Type: text/plain']) {
      await parseMultipart(chunked(data(header), 64), BOUNDARY, {
        onField: () => undefined,
        onFile: (part) => {
          types.push(part.contentType);
          return { write: async () => undefined, end: async () => undefined };
        },
      });
    }
    expect(types).toEqual([null, 'audio/wav', 'application/json', null]);
  });

  it('refuses too many parts, and the audio sent as a text field', async () => {
    const many = body(Array.from({ length: 33 }, (_, i) => `Content-Disposition: form-data; name="f${i}"\r\n\r\nx`));
    expect(await refusal(parse(many, 512))).toEqual({ status: 400, message: 'too many form fields (at most 32)' });
    const asText = body(['Content-Disposition: form-data; name="file"\r\nContent-Type: audio/wav\r\n\r\nRIFF']);
    expect((await refusal(parse(asText, 512))).message).toMatch(/^send the audio in the field "file" as a file, with a filename/);
  });

  it('stops reading a body whose text fields grow without end, long before it ends', async () => {
    let yielded = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`, 'latin1');
      const block = Buffer.alloc(64 * 1024, 0x61);
      for (;;) {
        yielded += block.length;
        if (yielded > 64 * 1024 * 1024) throw new Error('read 64 MB of an endless field');
        yield block;
      }
    }
    const refused = await refusal(parseMultipart(endless(), BOUNDARY, { onField: () => undefined, onFile: () => ({ write: async () => undefined, end: async () => undefined }) }));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/^the form fields are larger than \d+ bytes in all .*send the audio as a file/);
    expect(yielded).toBeLessThan(2 * 1024 * 1024);
  });

  it('streams the file into the sink while the body arrives, held back by a slow sink', async () => {
    const chunkBytes = 64 * 1024;
    const chunks = 128; // 8 MiB of file
    let yielded = 0;
    let written = 0;
    let mostAhead = 0;
    async function* upload(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n`, 'latin1');
      for (let i = 0; i < chunks; i++) {
        yielded += chunkBytes;
        mostAhead = Math.max(mostAhead, yielded - written);
        yield Buffer.alloc(chunkBytes, i & 0xff);
      }
      yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1');
    }
    let firstWriteAt = -1;
    await parseMultipart(upload(), BOUNDARY, {
      onField: () => undefined,
      onFile: () => ({
        write: async (chunk) => {
          if (firstWriteAt < 0) firstWriteAt = yielded;
          await new Promise((resolve) => setImmediate(resolve));
          written += chunk.length;
        },
        end: async () => undefined,
      }),
    });
    expect(written).toBe(chunkBytes * chunks);
    expect(firstWriteAt).toBeLessThan(chunkBytes * 4);
    // Backpressure: the parser never ran far ahead of the sink (never the whole file in memory).
    expect(mostAhead).toBeLessThan(1024 * 1024);
  });

  it('passes a sink error through unchanged and stops reading', async () => {
    let yielded = 0;
    async function* upload(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n`, 'latin1');
      for (let i = 0; i < 1000; i++) {
        yielded++;
        yield Buffer.alloc(64 * 1024);
      }
      yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1');
    }
    let bytes = 0;
    const tooLarge = new HttpError(413, 'the audio is larger than the limit');
    const refused = parseMultipart(upload(), BOUNDARY, {
      onField: () => undefined,
      onFile: () => ({
        write: async (chunk) => {
          bytes += chunk.length;
          if (bytes > 256 * 1024) throw tooLarge;
        },
        end: async () => undefined,
      }),
    });
    await expect(refused).rejects.toBe(tooLarge);
    expect(yielded).toBeLessThan(40);
  });
});
