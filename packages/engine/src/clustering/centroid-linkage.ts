import { condensedIndex, euclideanCondensedDistances } from './condensed-distances';
import { Dendrogram, emptyDendrogram } from './dendrogram';
import { MinDistanceHeap } from './min-distance-heap';

/**
 * Lance-Williams update for centroid (UPGMC) linkage on Euclidean distances: distance between
 * the merge of x and y and a third cluster i, from d(x,i), d(y,i), d(x,y) and cluster sizes.
 * Same expression (and evaluation order) as scipy's `_centroid`.
 */
export function centroidDistanceUpdate(dxi: number, dyi: number, dxy: number, sizeX: number, sizeY: number): number {
  return Math.sqrt((sizeX * dxi * dxi + sizeY * dyi * dyi - (sizeX * sizeY * dxy * dxy) / (sizeX + sizeY)) / (sizeX + sizeY));
}

/** Nearest living cluster among indices above x (scipy `find_min_dist`); first one wins ties. */
function nearestAbove(n: number, distances: Float64Array, size: Int32Array, x: number): { key: number; value: number } {
  let best = Infinity;
  let key = -1;
  // Pairs (x, x+1), (x, x+2), ... are contiguous in the condensed layout.
  const offset = condensedIndex(n, x, x + 1) - (x + 1);
  for (let i = x + 1; i < n; i++) {
    if (size[i] === 0) continue;
    const d = distances[offset + i];
    if (d < best) {
      best = d;
      key = i;
    }
  }
  if (key === -1) throw new Error('centroid linkage: no finite distance left (NaN or infinite input?)');
  return { key, value: best };
}

/**
 * scipy.cluster.hierarchy.linkage(y, method='centroid') on a condensed Euclidean distance
 * matrix. Port of scipy's `fast_linkage` (Müllner's generic algorithm with a heap of
 * nearest-neighbour lower bounds), which scipy uses for 'centroid'. Merges are recorded in the
 * order they happen (merge k creates cluster n + k); centroid distances may decrease along the
 * way ("inversions") and, like scipy, nothing is re-sorted afterwards.
 *
 * Consumes (overwrites) `distances`. Time O(N^2) typically, O(N^3) worst case; memory is the
 * condensed matrix plus O(N).
 */
export function centroidLinkageFromDistances(distances: Float64Array, n: number): Dendrogram {
  if (distances.length !== (n * (n - 1)) / 2) throw new Error('centroid linkage: condensed matrix size does not match n');
  for (let i = 0; i < distances.length; i++) {
    if (!Number.isFinite(distances[i])) throw new Error('centroid linkage: distances must be finite');
  }
  const dendrogram = emptyDendrogram(n);
  if (n < 2) return dendrogram;

  const size = new Int32Array(n).fill(1);
  const clusterId = Int32Array.from({ length: n }, (_, i) => i);
  // neighbor[x] / minDistance[x]: candidate nearest neighbour above x and a lower bound of its distance.
  const neighbor = new Int32Array(n - 1);
  const minDistance = new Float64Array(n - 1);
  for (let x = 0; x < n - 1; x++) {
    const nearest = nearestAbove(n, distances, size, x);
    neighbor[x] = nearest.key;
    minDistance[x] = nearest.value;
  }
  const heap = new MinDistanceHeap(minDistance);

  for (let k = 0; k < n - 1; k++) {
    let x = 0;
    let y = 0;
    let dist = 0;
    // Pop candidates until the heap's lower bound is the true current distance (at most n - k tries).
    for (let attempt = 0; attempt < n - k; attempt++) {
      x = heap.minKey();
      dist = heap.minValue();
      y = neighbor[x];
      if (dist === distances[condensedIndex(n, x, y)]) break;
      const nearest = nearestAbove(n, distances, size, x);
      y = nearest.key;
      dist = nearest.value;
      neighbor[x] = y;
      minDistance[x] = dist;
      heap.changeValue(x, dist);
    }
    heap.removeMin();

    const sizeX = size[x];
    const sizeY = size[y];
    dendrogram.left[k] = Math.min(clusterId[x], clusterId[y]);
    dendrogram.right[k] = Math.max(clusterId[x], clusterId[y]);
    dendrogram.distance[k] = dist;
    dendrogram.size[k] = sizeX + sizeY;

    size[x] = 0; // slot x is dropped
    size[y] = sizeX + sizeY; // slot y now holds the merged cluster
    clusterId[y] = n + k;

    for (let z = 0; z < n; z++) {
      if (size[z] === 0 || z === y) continue;
      distances[condensedIndex(n, z, y)] = centroidDistanceUpdate(
        distances[condensedIndex(n, z, x)],
        distances[condensedIndex(n, z, y)],
        dist,
        sizeX,
        sizeY,
      );
    }
    // Clusters that pointed at x now point at y: a guess, checked when popped.
    for (let z = 0; z < x; z++) {
      if (size[z] > 0 && neighbor[z] === x) neighbor[z] = y;
    }
    // The new cluster may be closer than the recorded lower bounds.
    for (let z = 0; z < y; z++) {
      if (size[z] === 0) continue;
      const d = distances[condensedIndex(n, z, y)];
      if (d < minDistance[z]) {
        neighbor[z] = y;
        minDistance[z] = d;
        heap.changeValue(z, d);
      }
    }
    if (y < n - 1) {
      const nearest = nearestAbove(n, distances, size, y);
      neighbor[y] = nearest.key;
      minDistance[y] = nearest.value;
      heap.changeValue(y, nearest.value);
    }
  }
  return dendrogram;
}

/** linkage(rows, method='centroid', metric='euclidean'): pdist then centroid linkage. */
export function centroidLinkage(rows: ArrayLike<number>, n: number, dimension: number): Dendrogram {
  return centroidLinkageFromDistances(euclideanCondensedDistances(rows, n, dimension), n);
}
