/** Row-wise vector helpers on row-major Float64Array matrices (numRows x dimension). */

/** Each row divided by its Euclidean norm; a zero row becomes NaN, as numpy's division does. */
export function normalizeRows(rows: ArrayLike<number>, numRows: number, dimension: number): Float64Array {
  const out = new Float64Array(numRows * dimension);
  for (let i = 0; i < numRows; i++) {
    let squared = 0;
    for (let d = 0; d < dimension; d++) squared += rows[i * dimension + d] ** 2;
    const norm = Math.sqrt(squared);
    for (let d = 0; d < dimension; d++) out[i * dimension + d] = rows[i * dimension + d] / norm;
  }
  return out;
}

/** Mean of the rows whose `labels` entry equals `label` (NaN when there are none, like np.mean of nothing). */
export function meanOfLabel(rows: ArrayLike<number>, labels: ArrayLike<number>, label: number, dimension: number): Float64Array {
  const sum = new Float64Array(dimension);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== label) continue;
    count++;
    for (let d = 0; d < dimension; d++) sum[d] += rows[i * dimension + d];
  }
  for (let d = 0; d < dimension; d++) sum[d] /= count;
  return sum;
}

/** Mean of all rows. */
export function meanOfRows(rows: ArrayLike<number>, numRows: number, dimension: number): Float64Array {
  return meanOfLabel(rows, new Int32Array(numRows), 0, dimension);
}

/**
 * scipy.spatial.distance.cdist(a, b, 'cosine'): 1 - a.b / (|a| |b|), with the cosine clipped to
 * [-1, 1]. A row containing NaN gives NaN distances. Result is (numA x numB), row-major.
 */
export function cosineDistances(a: ArrayLike<number>, numA: number, b: readonly Float64Array[], dimension: number): Float64Array {
  const normsB = b.map((row) => Math.sqrt(row.reduce((sum, v) => sum + v * v, 0)));
  const out = new Float64Array(numA * b.length);
  for (let i = 0; i < numA; i++) {
    let squared = 0;
    for (let d = 0; d < dimension; d++) squared += a[i * dimension + d] ** 2;
    const normA = Math.sqrt(squared);
    for (let k = 0; k < b.length; k++) {
      const row = b[k];
      let dot = 0;
      for (let d = 0; d < dimension; d++) dot += a[i * dimension + d] * row[d];
      let cosine = dot / (normA * normsB[k]);
      if (Math.abs(cosine) > 1) cosine = Math.sign(cosine);
      out[i * b.length + k] = 1 - cosine;
    }
  }
  return out;
}
