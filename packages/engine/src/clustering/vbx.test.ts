import { join } from 'node:path';
import { loadNpy, loadNpz, requireArray, toFloat64, toInt32 } from '../numpy';
import { SAMPLE_FIXTURES } from '../../../../test/shared-paths';
import { maxAbsDifference } from '../../test-support/test-matrices';
import { clusterVbxFromLabels, initialResponsibilities, vbx } from './vbx';

describe('VBx on the pyannote sample', () => {
  const state = loadNpz(join(SAMPLE_FIXTURES, 'vbx_state.npz'));
  const plda = loadNpz(join(SAMPLE_FIXTURES, 'plda_embeddings.npz'));
  const get = (key: string) => toFloat64(requireArray(state, key, 'vbx_state.npz'));
  const features = toFloat64(requireArray(plda, 'post_plda', 'plda_embeddings.npz'));
  const phi = toFloat64(requireArray(plda, 'phi', 'plda_embeddings.npz'));
  const qinit = get('qinit');
  const options = { fa: get('fa')[0], fb: get('fb')[0], maxIterations: get('max_iters')[0] };

  it('builds qinit from the AHC labels (softmax of 7 x one-hot)', () => {
    const labels = toInt32(loadNpy(join(SAMPLE_FIXTURES, 'ahc_init_labels.npy')));
    const { gamma, numSpeakers } = initialResponsibilities(labels, 7);
    expect(numSpeakers).toBe(4);
    expect(maxAbsDifference(gamma, qinit)).toBeLessThan(1e-15);
  });

  it('reproduces q_final, sp_final and the ELBO trajectory from qinit', () => {
    const result = vbx(features, 37, 128, phi, qinit, 4, options);
    expect(result.elbo.length).toBe(11);
    expect(maxAbsDifference(result.gamma, get('q_final'))).toBeLessThan(1e-9);
    expect(maxAbsDifference(result.priors, get('sp_final'))).toBeLessThan(1e-9);
    expect(maxAbsDifference(result.elbo, get('elbo_trajectory'))).toBeLessThan(1e-8);
  });

  it('runs end to end from AHC labels like cluster_vbx', () => {
    const labels = toInt32(loadNpy(join(SAMPLE_FIXTURES, 'ahc_init_labels.npy')));
    const result = clusterVbxFromLabels(labels, features, 128, phi, { ...options, initSmoothing: 7 });
    expect(maxAbsDifference(result.gamma, get('q_final'))).toBeLessThan(1e-9);
    // Two speakers survive (sp > 1e-7): columns 1 and 2.
    expect(Array.from(result.priors, (p) => p > 1e-7)).toEqual([false, true, true, false]);
  });

  it('stops at maxIterations and never lowers the ELBO on this data', () => {
    const result = vbx(features, 37, 128, phi, qinit, 4, { ...options, maxIterations: 3 });
    expect(result.elbo.length).toBe(3);
    for (let i = 1; i < result.elbo.length; i++) expect(result.elbo[i]).toBeGreaterThan(result.elbo[i - 1]);
  });
});
