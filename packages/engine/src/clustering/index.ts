/**
 * Speaker clustering, numerically faithful to pyannote.audio:
 * - `clusterVbx`: pyannote 4.0 VBxClustering (speaker-diarization-community-1);
 * - `clusterAgglomerative`: pyannote 3.1 AgglomerativeClustering (speaker-diarization-3.1).
 * Lower-level stages are exported so that each can be checked against pyannote's intermediates.
 */
export type { BinarySegmentations, ClusteringResult, EmbeddingSet, SpeakerBounds, TrainingSelection } from './types';

export { clusterVbx, COMMUNITY1_VBX_PARAMS } from './vbx-clustering';
export type { VbxParams } from './vbx-clustering';
export { clusterAgglomerative, PYANNOTE31_AGGLOMERATIVE_PARAMS } from './agglomerative-clustering';
export type { AgglomerativeParams } from './agglomerative-clustering';
export { markInactiveSpeakers, INACTIVE_SPEAKER } from './inactive-speakers';

export { Plda } from './plda';
export type { PldaParameters, XvecTransformParameters } from './plda';
export { pldaLatentBasis } from './plda-basis';
export type { PldaLatentBasis } from './plda-basis';

export { selectCleanSpeakers, selectActiveSpeakers, gatherEmbeddings, activeFrameCounts, DEFAULT_MIN_ACTIVE_RATIO } from './select-training-embeddings';
export { capSelection, DEFAULT_MAX_EMBEDDINGS, DEFAULT_SUBSAMPLE_SEED } from './cap-embeddings';

export { condensedIndex, condensedSize, euclideanCondensedDistances } from './condensed-distances';
export type { Dendrogram } from './dendrogram';
export { centroidLinkage, centroidLinkageFromDistances, centroidDistanceUpdate } from './centroid-linkage';
export { fclusterByDistance, fclusterByCriterion, maxMergeDistances } from './fcluster';
export { uniqueLabels } from './unique-labels';
export { agglomerativeLabels, COMMUNITY1_AHC_THRESHOLD } from './ahc';
export { agglomerativeTrainLabels, effectiveMinClusterSize } from './agglomerative-labels';
export type { AgglomerativeHyperParameters } from './agglomerative-labels';
export { resolveSpeakerBounds, clipToEmbeddingCount } from './speaker-bounds';
export type { ClusterCountConstraints } from './speaker-bounds';

export { vbx, clusterVbxFromLabels, initialResponsibilities } from './vbx';
export type { VbxOptions, VbxResult } from './vbx';
export { kMeans } from './kmeans';
export type { KMeansOptions, KMeansResult } from './kmeans';
export { softClustersFromCentroids, argmaxAssignment, constrainedArgmax } from './assignment';
export type { SoftClusters } from './assignment';
