import { centroidLinkage } from './centroid-linkage';
import { fclusterByDistance } from './fcluster';
import { uniqueLabels } from './unique-labels';
import { normalizeRows } from './vectors';

/** community-1 AHC threshold (pyannote `VBxClustering.threshold`). */
export const COMMUNITY1_AHC_THRESHOLD = 0.6;

/**
 * The AHC step of pyannote 4.0 `VBxClustering`: centroid linkage of the L2-normalised
 * embeddings, cut at `threshold`, labels renumbered 0..k-1 (np.unique inverse).
 */
export function agglomerativeLabels(embeddings: ArrayLike<number>, numEmbeddings: number, dimension: number, threshold: number): Int32Array {
  const normalized = normalizeRows(embeddings, numEmbeddings, dimension);
  const dendrogram = centroidLinkage(normalized, numEmbeddings, dimension);
  const flat = fclusterByDistance(dendrogram, threshold);
  return uniqueLabels(flat.map((label) => label - 1)).inverse;
}
