import { argmaxAssignment, constrainedArgmax, softClustersFromCentroids, SoftClusters } from './assignment';

function soft(values: number[], numChunks: number, numLocalSpeakers: number, numClusters: number): SoftClusters {
  return { data: Float64Array.from(values), numChunks, numLocalSpeakers, numClusters };
}

describe('soft clusters', () => {
  it('are 2 - cosine distance (scipy cdist), NaN rows stay NaN', () => {
    const embeddings = { data: Float32Array.from([1, 0, 0, 2, NaN, NaN, -3, 0]), numChunks: 2, numLocalSpeakers: 2, dimension: 2 };
    const result = softClustersFromCentroids(embeddings, [Float64Array.from([1, 0]), Float64Array.from([1, 1])]);
    const s = Math.SQRT1_2;
    const expected = [2, 1 + s, 1, 1 + s, NaN, NaN, 0, 1 - s];
    expected.forEach((v, i) => (Number.isNaN(v) ? expect(result.data[i]).toBeNaN() : expect(result.data[i]).toBeCloseTo(v, 12)));
  });
});

describe('argmaxAssignment', () => {
  it('takes the first maximum, and a NaN wins like np.argmax', () => {
    expect(Array.from(argmaxAssignment(soft([0.1, 0.5, 0.5, 0.9, 0.2, 0.1, 0.3, NaN, 0.1], 1, 3, 3)))).toEqual([1, 0, 1]);
  });
});

describe('constrainedArgmax', () => {
  it('matches speakers to distinct clusters per chunk, maximizing the total score', () => {
    // Chunk 0: both speakers prefer cluster 0; 0.9 + 0.7 (speaker 1 on cluster 1) beats 0.8 + 0.1.
    // Chunk 1: both prefer cluster 1; 0.2 + 0.6 beats 0.4 + 0.3, so speaker 0 gets cluster 0.
    const hard = constrainedArgmax(soft([0.9, 0.8, 0.1, 0.7, 0.2, 0.4, 0.3, 0.6], 2, 2, 2));
    expect(Array.from(hard)).toEqual([0, 1, 0, 1]);
    expect(Array.from(argmaxAssignment(soft([0.9, 0.8, 0.1, 0.7, 0.2, 0.4, 0.3, 0.6], 2, 2, 2)))).toEqual([0, 1, 1, 1]);
  });

  it('leaves -2 where there are more speakers than clusters, first row winning ties (scipy)', () => {
    // Rows 0 and 2 are identical floors: scipy's linear_sum_assignment gives the column to row 0.
    const hard = constrainedArgmax(soft([0.09, 0.09, 1.8, 1.4, 0.09, 0.09], 1, 3, 2));
    expect(Array.from(hard)).toEqual([1, 0, -2]);
  });

  it('replaces NaN scores by the global nanmin before matching', () => {
    const hard = constrainedArgmax(soft([NaN, NaN, 0.5, 0.4, 0.2, 0.9], 1, 3, 2));
    expect(Array.from(hard)).toEqual([-2, 0, 1]);
  });
});
