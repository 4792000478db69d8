/**
 * Small dense-matrix helpers on row-major Float64Array storage. They exist for the few
 * O(n^3) set-up computations (PLDA) where n is around 128; nothing here is tuned for speed.
 */

/** `a` (rows x inner) times `b` (inner x columns), row-major. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number, columns: number): Float64Array {
  if (a.length !== rows * inner || b.length !== inner * columns) throw new Error('multiply: shapes do not match');
  const out = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i * inner + k];
      if (aik === 0) continue;
      const rowB = k * columns;
      const rowOut = i * columns;
      for (let j = 0; j < columns; j++) out[rowOut + j] += aik * b[rowB + j];
    }
  }
  return out;
}

/** Transpose of a rows x columns matrix. */
export function transpose(a: ArrayLike<number>, rows: number, columns: number): Float64Array {
  if (a.length !== rows * columns) throw new Error('transpose: shape does not match');
  const out = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out[j * rows + i] = a[i * columns + j];
  return out;
}

export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** (a + a^T) / 2: removes the rounding asymmetry of products that are symmetric in exact arithmetic. */
export function symmetrize(a: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  }
  return out;
}
