import { multipartBoundary, parseMultipart, type FileSink } from './multipart';

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
