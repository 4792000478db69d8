import { Dendrogram } from './dendrogram';

/**
 * For each merge, the largest merge distance in its subtree (scipy
 * `get_max_dist_for_each_cluster`). With centroid linkage a parent can sit below a child
 * (inversion); cutting on this maximum keeps flat clusters consistent.
 */
export function maxMergeDistances(dendrogram: Dendrogram): Float64Array {
  const n = dendrogram.numObservations;
  const out = new Float64Array(dendrogram.distance.length);
  // Children of merge m are observations or earlier merges, so one forward pass suffices.
  for (let m = 0; m < out.length; m++) {
    let value = dendrogram.distance[m];
    const left = dendrogram.left[m];
    const right = dendrogram.right[m];
    if (left >= n && out[left - n] > value) value = out[left - n];
    if (right >= n && out[right - n] > value) value = out[right - n];
    out[m] = value;
  }
  return out;
}

/**
 * scipy `cluster_monocrit`: flat clusters 1..k, one per maximal subtree whose criterion is
 * <= cutoff, other observations alone. Numbers follow scipy's depth-first walk from the root
 * (left subtree, then right subtree, then the node's own leaf children), so labels match
 * scipy's exactly, which matters because they become VBx initialisation columns.
 */
export function fclusterByCriterion(dendrogram: Dendrogram, criterion: Float64Array, cutoff: number): Int32Array {
  const n = dendrogram.numObservations;
  const labels = new Int32Array(n);
  if (n === 0) return labels;
  if (n === 1) {
    labels[0] = 1;
    return labels;
  }
  const visited = new Uint8Array(2 * n - 1);
  const stack = new Int32Array(n);
  let depth = 0;
  stack[0] = 2 * n - 2;
  let numClusters = 0;
  let leader = -1;
  while (depth >= 0) {
    const root = stack[depth] - n;
    const left = dendrogram.left[root];
    const right = dendrogram.right[root];
    if (leader === -1 && criterion[root] <= cutoff) {
      leader = root;
      numClusters++;
    }
    if (left >= n && !visited[left]) {
      visited[left] = 1;
      stack[++depth] = left;
      continue;
    }
    if (right >= n && !visited[right]) {
      visited[right] = 1;
      stack[++depth] = right;
      continue;
    }
    if (left < n) {
      if (leader === -1) numClusters++; // singleton cluster
      labels[left] = numClusters;
    }
    if (right < n) {
      if (leader === -1) numClusters++;
      labels[right] = numClusters;
    }
    if (leader === root) leader = -1;
    depth--;
  }
  return labels;
}

/** scipy.cluster.hierarchy.fcluster(Z, cutoff, criterion='distance'): labels 1..k. */
export function fclusterByDistance(dendrogram: Dendrogram, cutoff: number): Int32Array {
  return fclusterByCriterion(dendrogram, maxMergeDistances(dendrogram), cutoff);
}
