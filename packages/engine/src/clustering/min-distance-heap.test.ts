import { MinDistanceHeap } from './min-distance-heap';

describe('MinDistanceHeap', () => {
  it('pops keys by value and follows value changes', () => {
    const heap = new MinDistanceHeap(Float64Array.from([5, 3, 8, 1, 9]));
    expect([heap.minKey(), heap.minValue()]).toEqual([3, 1]);
    heap.removeMin();
    expect(heap.minKey()).toBe(1);
    heap.changeValue(4, 0.5);
    expect([heap.minKey(), heap.minValue()]).toEqual([4, 0.5]);
    heap.changeValue(4, 10);
    expect(heap.minKey()).toBe(1);
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(heap.minKey());
      heap.removeMin();
    }
    expect(order).toEqual([1, 0, 2, 4]);
  });

  it('returns the root-most of equal values, like scipy (key 0 of three ties)', () => {
    const heap = new MinDistanceHeap(Float64Array.from([1, 1, 1]));
    expect(heap.minKey()).toBe(0);
    heap.removeMin(); // swaps key 2 to the root; 2 is not greater than key 1's value, so it stays
    expect(heap.minKey()).toBe(2);
  });
});
