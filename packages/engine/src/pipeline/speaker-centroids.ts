import type { SpeakerEmbeddings } from '../types';

/**
 * The clustering's centroids renamed to the output labels (community-1's speaker_embeddings):
 * cluster k's centroid belongs to the speaker `labels` gives cluster k. A speaker with no
 * centroid (a cluster index past the centroids, which happens when the instantaneous count asks
 * for more speakers than the clustering found, or a NaN centroid of a cluster trained on no
 * embedding) is left out, where pyannote would give it a zero vector.
 */
export function speakerCentroids(centroids: readonly Float64Array[], labels: ReadonlyMap<number, string>): Map<string, Float64Array> {
  const bySpeaker = new Map<string, Float64Array>();
  const ordered = [...labels.entries()].sort(([, a], [, b]) => a.localeCompare(b));
  for (const [cluster, speaker] of ordered) {
    const centroid = centroids[cluster];
    if (centroid && centroid.every(Number.isFinite)) bySpeaker.set(speaker, centroid);
  }
  return bySpeaker;
}

/** The result's `speakerEmbeddings`, in speaker order. */
export function toSpeakerEmbeddings(model: string, centroids: ReadonlyMap<string, Float64Array>): SpeakerEmbeddings {
  return { model, vectors: [...centroids.entries()].map(([speaker, embedding]) => ({ speaker, embedding: Array.from(embedding) })) };
}
