/**
 * pyannote's get_embeddings(exclude_overlap=True): a speaker's embedding uses only the frames
 * where it speaks alone, unless those add up to `minNumFrames` or fewer, then all its frames.
 */
export function embeddingMasks(
  segmentation: Uint8Array,
  numFrames: number,
  numLocalSpeakers: number,
  minNumFrames: number,
): Uint8Array[] {
  const masks: Uint8Array[] = [];
  for (let s = 0; s < numLocalSpeakers; s++) {
    const all = new Uint8Array(numFrames);
    const clean = new Uint8Array(numFrames);
    let cleanCount = 0;
    for (let f = 0; f < numFrames; f++) {
      const row = f * numLocalSpeakers;
      all[f] = segmentation[row + s];
      let active = 0;
      for (let k = 0; k < numLocalSpeakers; k++) active += segmentation[row + k];
      if (active < 2 && all[f]) {
        clean[f] = 1;
        cleanCount++;
      }
    }
    masks.push(cleanCount > minNumFrames ? clean : all);
  }
  return masks;
}

/** Segmentation frames needed for `minNumSamples` (pyannote: ceil(num_frames * min_num_samples / num_samples)). */
export function minNumFrames(numFrames: number, minNumSamples: number, windowSamples: number): number {
  return Math.ceil((numFrames * minNumSamples) / windowSamples);
}
