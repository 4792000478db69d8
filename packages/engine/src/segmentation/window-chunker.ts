/**
 * Cuts a stream of samples into the windows pyannote's Inference.slide uses: full windows every
 * `step` samples, then, when the audio does not end exactly on a window, one last window holding
 * the remainder zero-padded (or the whole audio, padded, when it is shorter than one window).
 * Only the samples still needed are kept, so memory does not grow with the audio's length.
 */
export class WindowChunker {
  private buffer: Float32Array;
  /** Samples held in `buffer`, starting at absolute sample `bufferStart`. */
  private held = 0;
  private bufferStart = 0;
  private emitted = 0;
  private total = 0;

  constructor(
    readonly windowSamples: number,
    readonly stepSamples: number,
  ) {
    this.buffer = new Float32Array(windowSamples * 2);
  }

  get totalSamples(): number {
    return this.total;
  }

  get windowsEmitted(): number {
    return this.emitted;
  }

  /** Adds samples; returns the windows that became complete. */
  push(samples: Float32Array): Float32Array[] {
    this.total += samples.length;
    this.ensureCapacity(this.held + samples.length);
    this.buffer.set(samples, this.held);
    this.held += samples.length;
    const windows: Float32Array[] = [];
    while (this.held >= this.windowSamples) {
      windows.push(this.buffer.slice(0, this.windowSamples));
      this.emitted++;
      this.buffer.copyWithin(0, this.stepSamples, this.held);
      this.held -= this.stepSamples;
      this.bufferStart += this.stepSamples;
    }
    return windows;
  }

  /** The zero-padded last window, if pyannote would make one. */
  finish(): Float32Array | undefined {
    const needsLast = this.total < this.windowSamples || (this.total - this.windowSamples) % this.stepSamples > 0;
    if (!needsLast || this.total === 0) return undefined;
    const last = new Float32Array(this.windowSamples);
    last.set(this.buffer.subarray(0, Math.min(this.held, this.windowSamples)));
    this.emitted++;
    this.held = 0;
    return last;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.buffer.length) return;
    const grown = new Float32Array(Math.max(size, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.held));
    this.buffer = grown;
  }
}
