/**
 * Binary min-heap of values keyed 0..n-1, with the exact sift rules of scipy's
 * `_structures.pxi` Heap. The linkage picks among equal distances by what this heap returns
 * first, so the tie order has to be the same as scipy's for identical dendrograms.
 */
export class MinDistanceHeap {
  private readonly indexByKey: Int32Array;
  private readonly keyByIndex: Int32Array;
  private readonly values: Float64Array;
  private size: number;

  constructor(values: Float64Array) {
    this.size = values.length;
    this.indexByKey = Int32Array.from({ length: this.size }, (_, i) => i);
    this.keyByIndex = Int32Array.from({ length: this.size }, (_, i) => i);
    this.values = Float64Array.from(values);
    // Linear-time heapify, bottom-up.
    for (let i = Math.floor(this.size / 2) - 1; i >= 0; i--) this.siftDown(i);
  }

  minKey(): number {
    return this.keyByIndex[0];
  }

  minValue(): number {
    return this.values[0];
  }

  removeMin(): void {
    this.swap(0, this.size - 1);
    this.size--;
    this.siftDown(0);
  }

  changeValue(key: number, value: number): void {
    const index = this.indexByKey[key];
    const old = this.values[index];
    this.values[index] = value;
    if (value < old) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(start: number): void {
    let index = start;
    let parent = (index - 1) >> 1;
    while (index > 0 && this.values[parent] > this.values[index]) {
      this.swap(index, parent);
      index = parent;
      parent = (index - 1) >> 1;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    let child = 2 * index + 1;
    while (child < this.size) {
      if (child + 1 < this.size && this.values[child + 1] < this.values[child]) child++;
      if (!(this.values[index] > this.values[child])) break;
      this.swap(index, child);
      index = child;
      child = 2 * index + 1;
    }
  }

  private swap(i: number, j: number): void {
    const value = this.values[i];
    this.values[i] = this.values[j];
    this.values[j] = value;
    const keyI = this.keyByIndex[i];
    const keyJ = this.keyByIndex[j];
    this.keyByIndex[i] = keyJ;
    this.keyByIndex[j] = keyI;
    this.indexByKey[keyI] = j;
    this.indexByKey[keyJ] = i;
  }
}
