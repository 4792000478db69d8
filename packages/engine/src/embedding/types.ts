/** One segmentation chunk: its audio and one activity mask per local speaker. */
export interface ChunkToEmbed {
  /** The chunk's waveform at 16 kHz (the segmentation window, zero-padded at the end of the file). */
  window: Float32Array;
  /** Position of the window's first sample in the audio. */
  startSample: number;
  /** Per local speaker, 0/1 per segmentation frame; an all-zero mask needs no embedding. */
  masks: Uint8Array[];
  /** Identifies the audio stream: features cached for one stream are never used for another. */
  stream: object;
}

/** Turns (chunk, local speaker) pairs into speaker embeddings. */
export interface SpeakerEmbedder {
  readonly modelId: string;
  readonly dimension: number;
  /**
   * Fewest 16 kHz samples that give an embedding: pyannote's rule for excluding overlapped
   * frames keeps the clean frames only when they add up to more than this.
   */
  readonly minNumSamples: number;
  /** Set when the model runs differently than configured (e.g. CUDA unavailable). */
  readonly notice?: string;
  /** Embeddings per chunk, [localSpeakers * dimension], NaN rows where there is none. */
  embed(chunks: readonly ChunkToEmbed[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export function nanRows(rows: number, dimension: number): Float32Array {
  return new Float32Array(rows * dimension).fill(NaN);
}
