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
    const magic = head.toString('ascii', 0, 4);
    const reason = magic === 'RIFF' ? wavTruncation(head, size) : magic === 'OggS' ? await oggTruncation(handle, size) : undefined;
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

/** Where a WAV file's data chunk starts and the size its header declares, if the first bytes show it. */
function wavDataChunk(header: Buffer): { offset: number; declared: number } | undefined {
  if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const chunkSize = header.readUInt32LE(offset + 4);
    if (id === 'data') return { offset: offset + 8, declared: chunkSize };
    offset += 8 + chunkSize + (chunkSize % 2);
  }
  return undefined;
}

/**
 * A data size of 0 or 0xFFFFFFFF means "unknown": streaming writers (`ffmpeg -f wav pipe:1`,
 * recorders that never seek back) cannot fill it in, and the audio runs to the end of the file.
 */
function isUnknownSize(declared: number): boolean {
  return declared === 0 || declared === 0xffffffff;
}

/** The data chunk must fit in the file, unless its size is unknown (a streamed WAV). */
function wavTruncation(header: Buffer, size: number): string | undefined {
  const data = wavDataChunk(header);
  if (data === undefined || isUnknownSize(data.declared)) return undefined;
  const available = size - data.offset;
  return available < data.declared
    ? `the WAV file is truncated (its header declares ${data.declared} bytes of audio, the file holds ${available})`
    : undefined;
}

/**
 * True for a WAV file written while streaming: its data chunk's size is unknown (0 or
 * 0xFFFFFFFF), so its audio runs to the end of the file and it cannot be called truncated.
 */
export async function isStreamedWav(path: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const data = wavDataChunk(await readAt(handle, 0, 4096));
    return data !== undefined && isUnknownSize(data.declared);
  } finally {
    await handle.close();
  }
}

/** ffmpeg's reports of a packet that its demuxer flagged corrupt. */
const CORRUPT_PACKET_REPORT = /Packet corrupt \(stream = \d+|corrupt input packet in stream \d+/i;

/**
 * ffmpeg's stderr without the "corrupt packet" reports that are only the end of a streamed WAV.
 * ffmpeg reads a WAV of unknown length in fixed-size packets up to the end of the file and flags
 * the last one, shorter than the others, as corrupt ("Packet corrupt (stream = 0, dts = NOPTS)",
 * "corrupt input packet in stream 0"): that is where the stream ended, not damage (PCM has no
 * structure to damage, and without a declared size there is nothing to be truncated against).
 * Decoding errors ("Error while decoding stream", ...) are kept.
 */
export function withoutStreamEndReports(stderr: readonly string[]): string[] {
  return stderr.filter((line) => !CORRUPT_PACKET_REPORT.test(line));
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
