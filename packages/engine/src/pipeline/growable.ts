type TypedArray = Float32Array | Uint8Array;
type Constructor<T extends TypedArray> = new (length: number) => T;

/** An append-only typed array that doubles its capacity as it grows. */
export class Growable<T extends TypedArray> {
  private buffer: T;
  private used = 0;

  constructor(private readonly Kind: Constructor<T>, initialCapacity = 1024) {
    this.buffer = new Kind(initialCapacity);
  }

  append(values: ArrayLike<number>): void {
    if (this.used + values.length > this.buffer.length) {
      const grown = new this.Kind(Math.max(this.used + values.length, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
    this.buffer.set(values, this.used);
    this.used += values.length;
  }

  get length(): number {
    return this.used;
  }

  /** The values appended so far (a copy trimmed to size). */
  toArray(): T {
    return this.buffer.slice(0, this.used) as T;
  }
}
