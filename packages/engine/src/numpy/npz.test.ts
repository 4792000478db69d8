import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadNpz, loadNpy, parseNpz, saveNpz } from './npz';
import { formatNpy, parseNpy, toFloat64 } from './npy';
import { SHARED_MODELS } from '../../../../test/shared-paths';

function npyBytes(descr: string, shape: number[], payload: Uint8Array): Uint8Array {
  const bytes = formatNpy(payload, shape);
  // formatNpy writes '|u1'; other dtypes here are made by rewriting the descr in the header
  const header = Buffer.from(bytes.subarray(0, 128)).toString('latin1').replace("'|u1'", `'${descr}'`.padEnd(5));
  bytes.set(Buffer.from(header, 'latin1').subarray(0, 128));
  return bytes;
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

  it('round-trips arrays written by saveNpz (float32 with NaN, uint8), as numpy.savez lays them out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
    try {
      const path = join(dir, 'x.npz');
      saveNpz(path, {
        embeddings: { data: Float32Array.from([0.5, NaN, -2, 3]), shape: [1, 2, 2] },
        flags: { data: Uint8Array.from([1, 0, 1]), shape: [3] },
      });
      const arrays = loadNpz(path);
      expect(arrays.get('embeddings')?.dtype).toBe('<f4');
      expect(arrays.get('embeddings')?.shape).toEqual([1, 2, 2]);
      expect(Array.from(arrays.get('embeddings')!.data as Float32Array)).toEqual([0.5, NaN, -2, 3]);
      expect(arrays.get('flags')?.shape).toEqual([3]);
      expect(Array.from(arrays.get('flags')!.data as Uint8Array)).toEqual([1, 0, 1]);
      // numpy pads the header so that the data starts on a 64-byte boundary
      const npy = formatNpy(Float32Array.from([1]), [1]);
      expect((npy.length - 4) % 64).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the archive when it is not a zip file', () => {
    expect(() => parseNpz(new Uint8Array([1, 2, 3]), 'broken.npz')).toThrow(/broken.npz: not a readable zip archive/);
  });
});
