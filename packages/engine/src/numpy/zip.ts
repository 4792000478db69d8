import { inflateRawSync } from 'node:zlib';

/** Minimal ZIP reader (stored and deflated entries), enough for NumPy's .npz files. */
export function readZipEntries(bytes: Uint8Array, name = 'archive'): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${name}: not a zip archive`);
  const entryCount = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const entries = new Map<string, Uint8Array>();
  for (let e = 0; e < entryCount; e++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error(`${name}: corrupt central directory`);
    const method = view.getUint16(offset + 10, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localHeader = view.getUint32(offset + 42, true);
    const entryName = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    if (compressedSize === 0xffffffff || localHeader === 0xffffffff) throw new Error(`${name}: zip64 is not supported`);

    const localNameLength = view.getUint16(localHeader + 26, true);
    const localExtraLength = view.getUint16(localHeader + 28, true);
    const dataStart = localHeader + 30 + localNameLength + localExtraLength;
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) entries.set(entryName, raw);
    else if (method === 8) entries.set(entryName, new Uint8Array(inflateRawSync(raw)));
    else throw new Error(`${name}: unsupported zip compression method ${method}`);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
