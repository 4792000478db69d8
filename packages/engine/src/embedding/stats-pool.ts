/**
 * torch's F.interpolate(mode='nearest') as an index: output position t reads input
 * floor(t * inLength / outLength). pyannote resizes speaker masks this way, from the
 * segmentation's frames to the embedding model's.
 */
export function nearestIndex(inLength: number, outLength: number): Int32Array {
  const scale = inLength / outLength;
  return Int32Array.from({ length: outLength }, (_, t) => Math.min(Math.floor(t * scale), inLength - 1));
}

/**
 * pyannote's StatsPool with weights (models/blocks/pooling.py `_pool`): weighted mean and the
 * unbiased weighted standard deviation of every feature over time, written to `out` as
 * [F means, F standard deviations]. `frames` is row-major [F, T]; `weights` has T values.
 * Sums are taken in float64; the two terms that decide a one-frame speaker's denominator are
 * rounded to float32 as torch computes them, so that edge case matches too.
 */
export function weightedStatsPool(frames: Float32Array, numFeatures: number, weights: Float32Array, out: Float32Array): void {
  const numFrames = weights.length;
  let sumWeights = 0;
  let sumSquaredWeights = 0;
  for (let t = 0; t < numFrames; t++) {
    sumWeights += weights[t];
    sumSquaredWeights += weights[t] * weights[t];
  }
  const v1 = Math.fround(sumWeights + 1e-8);
  const denominator = Math.fround(Math.fround(v1 - Math.fround(sumSquaredWeights / v1)) + 1e-8);
  for (let f = 0; f < numFeatures; f++) {
    const row = f * numFrames;
    let weighted = 0;
    for (let t = 0; t < numFrames; t++) weighted += weights[t] * frames[row + t];
    const mean = weighted / v1;
    let spread = 0;
    for (let t = 0; t < numFrames; t++) {
      const d = frames[row + t] - mean;
      spread += weights[t] * d * d;
    }
    out[f] = mean;
    out[numFeatures + f] = Math.sqrt(spread / denominator);
  }
}
