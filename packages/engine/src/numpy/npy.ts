/** NumPy's .npy format (reads versions 1-3, writes 1.0), little-endian numeric arrays only. */

export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface NpyArray {
  dtype: string;
  shape: number[];
  data: NpyData;
}

const MAGIC = '\x93NUMPY';

type TypedArrayConstructor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): NpyData; BYTES_PER_ELEMENT: number };

const DTYPES: Record<string, TypedArrayConstructor> = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
  '|b1': Uint8Array,
  '<i2': Int16Array,
  '<u2': Uint16Array,
  '<i4': Int32Array,
  '<u4': Uint32Array,
  '<i8': BigInt64Array,
  '<u8': BigUint64Array,
};

export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  const text = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length < 10 || text(0, 6) !== MAGIC) throw new Error(`${name}: not a .npy file`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));

  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${name}: unreadable .npy header ${header.trim()}`);
  }
  if (fortran === 'True') throw new Error(`${name}: Fortran-ordered arrays are not supported`);
  const Ctor = DTYPES[descr];
  if (!Ctor) throw new Error(`${name}: unsupported dtype ${descr}`);

  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const length = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = length * Ctor.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart < byteLength) throw new Error(`${name}: truncated .npy data`);
  // Copy so the typed array is aligned and owns its buffer (Buffer#slice would not copy).
  const copy = new Uint8Array(bytes.subarray(dataStart, dataStart + byteLength));
  return { dtype: descr, shape, data: new Ctor(copy.buffer, 0, length) };
}

/** A .npy file (version 1.0) holding `data` with `shape`; float32 or uint8. */
export function formatNpy(data: Float32Array | Uint8Array, shape: number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // the header ends with a newline and pads the data start to a multiple of 64 bytes
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Array.from(header, (c) => c.charCodeAt(0)), 10);
  out.set(payload, 10 + header.length);
  return out;
}

/** Converts any numeric array to Float64Array (int64 values included). */
export function toFloat64(array: NpyArray): Float64Array {
  const out = new Float64Array(array.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(array.data[i]);
  return out;
}

/** Converts any numeric array to Float32Array. */
export function toFloat32(array: NpyArray): Float32Array {
  return Float32Array.from(toFloat64(array));
}

/** Converts any integer array to Int32Array. */
export function toInt32(array: NpyArray): Int32Array {
  const out = new Int32Array(array.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(array.data[i]);
  return out;
}
