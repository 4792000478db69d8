/**
 * A linkage matrix (scipy's Z) as typed columns. Merge k joins clusters left[k] < right[k]
 * (ids below numObservations are observations, id numObservations + m is the cluster formed
 * by merge m) at `distance[k]`, giving a cluster of `size[k]` observations.
 */
export interface Dendrogram {
  numObservations: number;
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  size: Int32Array;
}

export function emptyDendrogram(numObservations: number): Dendrogram {
  const merges = Math.max(0, numObservations - 1);
  return {
    numObservations,
    left: new Int32Array(merges),
    right: new Int32Array(merges),
    distance: new Float64Array(merges),
    size: new Int32Array(merges),
  };
}

/** Same tree with merge distances replaced (pyannote walks the tree with distance = merge index). */
export function withDistances(dendrogram: Dendrogram, distance: Float64Array): Dendrogram {
  if (distance.length !== dendrogram.distance.length) throw new Error('withDistances: one distance per merge expected');
  return { ...dendrogram, distance };
}
