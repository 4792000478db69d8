/** np.unique(labels, return_inverse=True, return_counts=True) for integer labels. */
export interface UniqueLabels {
  /** Distinct labels, ascending. */
  values: Int32Array;
  /** Position of each input label in `values`: labels renumbered 0..k-1 in ascending order. */
  inverse: Int32Array;
  counts: Int32Array;
}

export function uniqueLabels(labels: ArrayLike<number>): UniqueLabels {
  const values = Int32Array.from(new Set(Array.from(labels))).sort();
  const position = new Map<number, number>();
  values.forEach((value, index) => position.set(value, index));
  const inverse = new Int32Array(labels.length);
  const counts = new Int32Array(values.length);
  for (let i = 0; i < labels.length; i++) {
    const index = position.get(labels[i]) as number;
    inverse[i] = index;
    counts[index]++;
  }
  return { values, inverse, counts };
}
