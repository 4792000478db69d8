/** Deterministic matrices and comparisons for the numeric tests (test-only: outside src/, so not in dist). */

/** Small linear congruential generator so test matrices are reproducible. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Random symmetric n x n matrix with entries in [-1, 1). */
export function randomSymmetric(n: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = 2 * next() - 1;
      out[i * n + j] = value;
      out[j * n + i] = value;
    }
  }
  return out;
}

/** Random symmetric positive-definite matrix: M M^T / n + I. */
export function randomSpd(n: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  const m = Array.from({ length: n * n }, () => 2 * next() - 1);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += m[i * n + k] * m[j * n + k];
      out[i * n + j] = sum / n + (i === j ? 1 : 0);
    }
  }
  return out;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDifference: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
