/** Data shared by both clustering recipes. All arrays are row-major with explicit dimensions. */

/** One embedding per (chunk, local speaker); a row of NaN means "no embedding". */
export interface EmbeddingSet {
  data: Float32Array;
  numChunks: number;
  numLocalSpeakers: number;
  dimension: number;
}

/** Binarized segmentation, [chunk][frame][local speaker], values 0/1. */
export interface BinarySegmentations {
  data: Uint8Array;
  numChunks: number;
  numFrames: number;
  numLocalSpeakers: number;
}

/** Speaker-count constraints, as given to the pipeline (num_speakers, min_speakers, max_speakers). */
export interface SpeakerBounds {
  numClusters?: number;
  minClusters?: number;
  maxClusters?: number;
}

export interface ClusteringResult {
  /**
   * [numChunks * numLocalSpeakers]: pyannote's hard_clusters as returned by the clustering, before the
   * pipeline marks inactive speakers with -2. With constrained assignment, rows left out by the
   * assignment (more local speakers than clusters) are already -2, as in pyannote.
   */
  hardClusters: Int32Array;
  /** [numChunks * numLocalSpeakers * numClusters]: 2 - cosine distance to each centroid (pyannote's soft_clusters). */
  softClusters: Float64Array;
  /** One centroid per cluster, in the raw embedding space. */
  centroids: Float64Array[];
  numClusters: number;
}

/** Embeddings kept for clustering ("training" embeddings), addressed by (chunk, local speaker). */
export interface TrainingSelection {
  chunkIndices: Int32Array;
  speakerIndices: Int32Array;
}
