import { join } from 'node:path';
import { loadNpz, requireArray, toFloat64 } from '../numpy';
import { SAMPLE_FIXTURES, SHARED_MODELS } from '../../../../test/shared-paths';
import { loadSample } from '../../../../test/support/pyannote-fixtures';
import { Plda } from './plda';
import { gatherEmbeddings, selectCleanSpeakers } from './select-training-embeddings';

const TRANSFORM = join(SHARED_MODELS, 'xvec_transform.npz');
const PLDA = join(SHARED_MODELS, 'plda.npz');

/** Largest |a - b| / max(|b|, 1e-3 * max|b|) over the arrays. */
function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-3 * scale));
  }
  return worst;
}

describe('Plda (community-1 parameters)', () => {
  const plda = Plda.load(TRANSFORM, PLDA);
  const fixture = loadNpz(join(SAMPLE_FIXTURES, 'plda_embeddings.npz'));
  const expectedXvec = toFloat64(requireArray(fixture, 'post_xvec', 'plda_embeddings.npz'));
  const expectedPlda = toFloat64(requireArray(fixture, 'post_plda', 'plda_embeddings.npz'));
  const { embeddings, segmentations } = loadSample();
  const train = gatherEmbeddings(embeddings, selectCleanSpeakers(embeddings, segmentations));
  const numTrain = train.length / embeddings.dimension;

  it('has phi equal to the fixture (decreasing across-class variances)', () => {
    const expected = toFloat64(requireArray(fixture, 'phi', 'plda_embeddings.npz'));
    const phi = plda.phi;
    expect(phi.length).toBe(128);
    let worst = 0;
    phi.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - expected[i]))));
    expect(worst).toBeLessThan(1e-9);
  });

  it('reproduces post_xvec', () => {
    expect(numTrain).toBe(37);
    const actual = plda.xvecTransform(train, numTrain);
    expect(maxRelativeError(actual, expectedXvec)).toBeLessThan(1e-6);
  });

  it('reproduces post_plda up to the sign of each latent dimension', () => {
    const actual = plda.project(train, numTrain);
    const dims = plda.ldaDimension;
    const aligned = Float64Array.from(actual);
    for (let d = 0; d < dims; d++) {
      let dot = 0;
      for (let i = 0; i < numTrain; i++) dot += actual[i * dims + d] * expectedPlda[i * dims + d];
      if (dot < 0) for (let i = 0; i < numTrain; i++) aligned[i * dims + d] = -actual[i * dims + d];
    }
    expect(maxRelativeError(aligned, expectedPlda)).toBeLessThan(1e-6);
  });

  it('truncates to ldaDimension and validates it', () => {
    const small = Plda.load(TRANSFORM, PLDA, 16);
    expect(small.phi.length).toBe(16);
    expect(small.project(train.subarray(0, 256), 1).length).toBe(16);
    expect(() => Plda.load(TRANSFORM, PLDA, 129)).toThrow(/ldaDimension/);
  });
});
