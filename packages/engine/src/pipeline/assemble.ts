import type { SpeakerBounds } from '../options';
import { labelClusters, toSegments } from '../output/segments';
import type { Segment } from '../types';
import type { ChunkAnalysis } from './analyse';
import { binarize } from './binarize';
import { clusterSpeakers, type ClusteringSetup } from './cluster';
import { turnConfidences } from './confidence';
import type { ChunkGeometry } from './geometry';
import { reconstruct } from './reconstruct';
import { speakerCentroids } from './speaker-centroids';
import { speakerCount } from './speaker-count';

export interface Assembled {
  segments: Segment[];
  /** Each output speaker's clustering centroid (see speakerCentroids), in speaker order. */
  centroids: Map<string, Float64Array>;
  /** Speakers found, before any bound was applied. */
  numClusters: number;
  clusteringSeconds: number;
  reconstructionSeconds: number;
}

/**
 * Everything after the models (pyannote's SpeakerDiarization.apply from the speaker count on):
 * count, cluster, reconstruct, binarize, name the speakers.
 */
export function assembleDiarization(
  analysis: ChunkAnalysis,
  geometry: ChunkGeometry,
  numLocalSpeakers: number,
  duration: number,
  bounds: SpeakerBounds,
  exclusive: boolean,
  setup: ClusteringSetup,
  onStage: (stage: 'clustering' | 'reconstruction') => void,
): Assembled {
  const { numChunks } = analysis;
  const count = speakerCount(analysis.segmentations, numChunks, numLocalSpeakers, geometry);
  if (!count.some((c) => c > 0)) return { segments: [], centroids: new Map(), numClusters: 0, clusteringSeconds: 0, reconstructionSeconds: 0 };

  onStage('clustering');
  const clusteringStart = performance.now();
  const clustering = clusterSpeakers(
    { data: analysis.embeddings, numChunks, numLocalSpeakers, dimension: analysis.dimension },
    { data: analysis.segmentations, numChunks, numFrames: geometry.framesPerChunk, numLocalSpeakers },
    bounds,
    setup,
  );
  const { hardClusters } = clustering;
  const numClusters = hardClusters.reduce((max, k) => Math.max(max, k + 1), 0);

  const clusteringSeconds = (performance.now() - clusteringStart) / 1000;
  onStage('reconstruction');
  const reconstructionStart = performance.now();
  // Segmentation errors can overcount speakers; never more at once than allowed in total.
  const capped = Number.isFinite(bounds.maxSpeakers) ? count.map((c) => Math.min(c, bounds.maxSpeakers)) : count;
  const regular = binarize(reconstruct(analysis.segmentations, numChunks, numLocalSpeakers, hardClusters, capped, geometry), geometry);
  const labels = labelClusters(regular);
  const turns = exclusive
    ? binarize(
        reconstruct(analysis.segmentations, numChunks, numLocalSpeakers, hardClusters, capped.map((c) => Math.min(c, 1)), geometry),
        geometry,
      )
    : regular;
  const confidences = turnConfidences(
    {
      segmentations: analysis.segmentations,
      numChunks,
      numLocalSpeakers,
      hardClusters,
      soft: { data: clustering.softClusters, numChunks, numLocalSpeakers, numClusters: clustering.numClusters },
      geometry,
      floor: setup.confidenceFloor,
    },
    turns,
  );
  const segments = toSegments(turns, labels, duration, confidences);
  const centroids = speakerCentroids(clustering.centroids, labels);
  return { segments, centroids, numClusters, clusteringSeconds, reconstructionSeconds: (performance.now() - reconstructionStart) / 1000 };
}
