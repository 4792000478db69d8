import { KaldiFbank, subtractFrameMean } from '../features';
import { FbankFrameCache } from './fbank-frame-cache';
import type { ChunkToEmbed } from './types';

/**
 * The input pyannote's WeSpeaker wrappers give the network: Kaldi fbank of the whole chunk,
 * mean-normalised over the chunk's frames. Frames shared by overlapping chunks are computed once.
 */
export class ChunkFeatures {
  readonly fbank: KaldiFbank;
  /** One cache per audio stream, so that concurrent diarizations never share frames. */
  private readonly caches = new WeakMap<object, FbankFrameCache>();

  constructor(options: { sampleRate: number; numMelBins: number }) {
    this.fbank = new KaldiFbank(options);
  }

  get numMelBins(): number {
    return this.fbank.numMelBins;
  }

  numFrames(windowSamples: number): number {
    return this.fbank.numFrames(windowSamples);
  }

  /** [numFrames * numMelBins], row-major. */
  of({ window, startSample, stream }: Pick<ChunkToEmbed, 'window' | 'startSample' | 'stream'>): Float32Array {
    let cache = this.caches.get(stream);
    if (!cache) {
      cache = new FbankFrameCache(this.fbank);
      this.caches.set(stream, cache);
    }
    const features = cache.features(window, startSample);
    subtractFrameMean(features, this.fbank.numFrames(window.length), this.fbank.numMelBins);
    return features;
  }
}
