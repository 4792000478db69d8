import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { loadNpz, loadNpy, parseNpz } from './npz';
import { parseNpy, toFloat64 } from './npy';
import { SHARED_MODELS } from '../../../../test/shared-paths';

function npyBytes(descr: string, shape: number[], payload: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(payload, 10 + header.length);
  return out;
}

describe('npy', () => {
  it('reads a hand-made float64 array with its shape', () => {
    const values = new Float64Array([1.5, -2, 3.25, 4, 5, 6]);
    const array = parseNpy(npyBytes('<f8', [2, 3], new Uint8Array(values.buffer)));
    expect(array.shape).toEqual([2, 3]);
    expect(Array.from(array.data as Float64Array)).toEqual([1.5, -2, 3.25, 4, 5, 6]);
  });

  it('rejects files that are not npy, and unsupported dtypes', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toThrow(/not a .npy file/);
    expect(() => parseNpy(npyBytes('>f8', [1], new Uint8Array(8)))).toThrow(/unsupported dtype >f8/);
  });

  it('reads int64 labels from pyannote fixtures', () => {
    const labels = loadNpy(join(SHARED_MODELS, 'fixtures/pyannote_sample/ahc_init_labels.npy'));
    expect(labels.dtype).toBe('<i8');
    expect(labels.shape).toEqual([37]);
    expect(Array.from(toFloat64(labels)).slice(0, 4)).toEqual([1, 3, 1, 1]);
  });
});

describe('npz', () => {
  it('reads deflated archives (pyannote fixtures)', () => {
    const arrays = loadNpz(join(SHARED_MODELS, 'fixtures/pyannote_sample/clustering.npz'));
    const hard = arrays.get('hard_clusters');
    expect(hard?.dtype).toBe('|i1');
    expect(hard?.shape).toEqual([21, 3]);
    expect(Array.from(hard!.data as Int8Array).slice(0, 3)).toEqual([1, 0, -2]);
  });

  it('reads stored archives (PLDA parameters)', () => {
    const arrays = loadNpz(join(SHARED_MODELS, 'plda.npz'));
    expect(arrays.get('tr')?.shape).toEqual([128, 128]);
    expect(arrays.get('psi')?.dtype).toBe('<f8');
  });

  it('round-trips a deflated entry built in the test', () => {
    const npy = npyBytes('<f4', [2], new Uint8Array(new Float32Array([0.5, 2]).buffer));
    const zipped = buildZip('x.npy', deflateRawSync(npy), 8);
    const arrays = parseNpz(zipped);
    expect(Array.from(arrays.get('x')!.data as Float32Array)).toEqual([0.5, 2]);
  });
});

function buildZip(name: string, data: Uint8Array, method: number): Uint8Array {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30 + nameBytes.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(nameBytes.length, 26);
  nameBytes.copy(local, 30);
  const central = Buffer.alloc(46 + nameBytes.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  nameBytes.copy(central, 46);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length + data.length, 16);
  return Buffer.concat([local, data, central, end]);
}
