import { open, stat, type FileHandle } from 'node:fs/promises';

/**
 * Some containers decode without complaint when cut short (ffmpeg trusts what it finds), so
 * look at their structure directly. Returns a reason when the file is empty or truncated, or
 * when the path is a directory.
 */
export async function containerProblem(path: string): Promise<{ empty: boolean; reason: string } | undefined> {
  // Reading a directory fails with a bare EISDIR (and ffmpeg's own message is no clearer).
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { empty: false, reason: `${path} is a directory, not an audio file` };
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined; // ffmpeg reports missing or unreadable files with its own message
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { empty: true, reason: 'the file is empty (0 bytes)' };
    const head = await readAt(handle, 0, Math.min(size, 4096));
    const reason = head.toString('ascii', 0, 4) === 'RIFF' ? wavTruncation(head, size) : head.toString('ascii', 0, 4) === 'OggS' ? await oggTruncation(handle, size) : undefined;
    return reason ? { empty: false, reason } : undefined;
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The data chunk must fit in the file (sizes 0 and 0xFFFFFFFF mean "unknown", from streaming writers). */
function wavTruncation(header: Buffer, size: number): string | undefined {
  if (header.length < 12 || header.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const chunkSize = header.readUInt32LE(offset + 4);
    if (id === 'data') {
      if (chunkSize === 0 || chunkSize === 0xffffffff) return undefined;
      const available = size - (offset + 8);
      return available < chunkSize
        ? `the WAV file is truncated (its header declares ${chunkSize} bytes of audio, the file holds ${available})`
        : undefined;
    }
    offset += 8 + chunkSize + (chunkSize % 2);
  }
  return undefined;
}

/** The last Ogg page must be complete: 27-byte header, segment table, then the lacing values' bytes. */
async function oggTruncation(handle: FileHandle, size: number): Promise<string | undefined> {
  const tailStart = Math.max(0, size - 131072);
  const tail = await readAt(handle, tailStart, size - tailStart);
  const last = tail.lastIndexOf('OggS');
  if (last < 0 || last + 27 > tail.length) return 'the Ogg file is truncated (its last page is cut off)';
  const segments = tail[last + 26];
  if (last + 27 + segments > tail.length) return 'the Ogg file is truncated (its last page is cut off)';
  let body = 0;
  for (let i = 0; i < segments; i++) body += tail[last + 27 + i];
  return last + 27 + segments + body > tail.length ? 'the Ogg file is truncated (its last page is cut off)' : undefined;
}
