/**
 * Cepstral-style mean normalisation as pyannote's WeSpeaker wrapper does it:
 * subtract, from every bin, that bin's mean over all frames (in place).
 * `features` is row-major [numFrames, numBins]. The mean is accumulated in
 * float64 so long inputs do not drift.
 */
export function subtractFrameMean(features: Float32Array | Float64Array, numFrames: number, numBins: number): void {
  if (features.length < numFrames * numBins) {
    throw new Error(`features hold ${features.length} values, need ${numFrames} x ${numBins}`);
  }
  if (numFrames === 0) return;
  const mean = new Float64Array(numBins);
  for (let f = 0; f < numFrames; f++) {
    const row = f * numBins;
    for (let b = 0; b < numBins; b++) mean[b] += features[row + b];
  }
  for (let b = 0; b < numBins; b++) mean[b] /= numFrames;
  for (let f = 0; f < numFrames; f++) {
    const row = f * numBins;
    for (let b = 0; b < numBins; b++) features[row + b] -= mean[b];
  }
}
