import { capSelection } from './cap-embeddings';
import { seededRandom } from './seeded-random';

describe('capSelection', () => {
  const selection = { chunkIndices: Int32Array.from({ length: 100 }, (_, i) => i), speakerIndices: Int32Array.from({ length: 100 }, (_, i) => i % 3) };

  it('keeps everything under the cap', () => {
    expect(capSelection(selection, 100)).toBe(selection);
  });

  it('keeps a sorted, seeded random subset of the requested size', () => {
    const a = capSelection(selection, 10, 1);
    expect(a.chunkIndices.length).toBe(10);
    expect(Array.from(a.chunkIndices)).toEqual([...a.chunkIndices].sort((x, y) => x - y));
    expect(new Set(a.chunkIndices).size).toBe(10);
    a.chunkIndices.forEach((c, i) => expect(a.speakerIndices[i]).toBe(c % 3));
    expect(Array.from(capSelection(selection, 10, 1).chunkIndices)).toEqual(Array.from(a.chunkIndices));
    expect(Array.from(capSelection(selection, 10, 2).chunkIndices)).not.toEqual(Array.from(a.chunkIndices));
    expect(() => capSelection(selection, 0)).toThrow(/maxEmbeddings/);
  });

  it('draws from a reproducible generator in [0, 1)', () => {
    const random = seededRandom(123);
    const values = Array.from({ length: 1000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(seededRandom(123)()).toBe(values[0]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });
});
