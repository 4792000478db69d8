import type { KaldiFbank } from '../features';

/**
 * Fbank frames of overlapping chunks, computed once. A frame depends only on the 400 samples
 * under it, and chunks start on multiples of the frame shift, so frame j of the chunk starting at
 * sample s is the stream's frame s / shift + j. Where chunks overlap (90 % of the time) the
 * frames are reused instead of recomputed; frames before the current chunk are dropped.
 * (The zero-padded last chunk only shares frames that lie inside the real audio, which are equal.)
 */
export class FbankFrameCache {
  private readonly frames = new Map<number, Float32Array>();

  constructor(private readonly fbank: KaldiFbank) {}

  /** Raw (not mean-normalised) features of `window`, [numFrames * bins]. */
  features(window: Float32Array, startSample: number): Float32Array {
    const { frameShift, frameLength, numMelBins: bins } = this.fbank;
    const numFrames = this.fbank.numFrames(window.length);
    const out = new Float32Array(numFrames * bins);
    if (startSample % frameShift !== 0) {
      // not aligned with the stream's frames: nothing to share
      this.fbank.compute(window, out);
      return out;
    }
    const first = startSample / frameShift;
    for (const key of this.frames.keys()) if (key < first) this.frames.delete(key);

    let j = 0;
    while (j < numFrames) {
      const cached = this.frames.get(first + j);
      if (cached) {
        out.set(cached, j * bins);
        j++;
        continue;
      }
      let end = j + 1;
      while (end < numFrames && !this.frames.has(first + end)) end++;
      const computed = this.fbank.compute(window.subarray(j * frameShift, (end - 1) * frameShift + frameLength));
      out.set(computed, j * bins);
      for (let k = j; k < end; k++) this.frames.set(first + k, computed.slice((k - j) * bins, (k - j + 1) * bins));
      j = end;
    }
    return out;
  }
}
