/**
 * VBx (Landini et al., "Bayesian HMM clustering of x-vector sequences"), in the GMM form that
 * pyannote.audio 4.0 ships (utils/vbx.py `VBx`): a model with zero mean, diagonal across-class
 * covariance `phi` and identity within-class covariance, fitted by variational Bayes.
 * Equation numbers in comments refer to that paper.
 */

export interface VbxOptions {
  /** Scale of the sufficient statistics (pyannote Fa). */
  fa: number;
  /** Speaker regularisation (pyannote Fb); larger values drop more speakers. */
  fb: number;
  maxIterations: number;
  /** Stop once the ELBO improves by less than this. */
  epsilon?: number;
  /** Initial speaker priors; uniform over the responsibilities' columns by default. */
  initialPriors?: Float64Array;
}

export interface VbxResult {
  /** Responsibilities, numFrames x numSpeakers, row-major. */
  gamma: Float64Array;
  /** Speaker priors (pyannote's `pi`, returned as `sp` by cluster_vbx). */
  priors: Float64Array;
  /** ELBO after each iteration. */
  elbo: number[];
  numSpeakers: number;
}

const PRIOR_FLOOR = 1e-8;
const DEFAULT_EPSILON = 1e-4;

/**
 * Runs VBx from initial responsibilities `initialGamma` (numFrames x numSpeakers). `features`
 * are numFrames x dimension PLDA-space embeddings, `phi` their across-class variances.
 * O(iterations * numFrames * numSpeakers * dimension).
 */
export function vbx(
  features: Float64Array,
  numFrames: number,
  dimension: number,
  phi: Float64Array,
  initialGamma: Float64Array,
  numSpeakers: number,
  options: VbxOptions,
): VbxResult {
  if (features.length !== numFrames * dimension) throw new Error('vbx: features do not match numFrames x dimension');
  if (phi.length !== dimension) throw new Error('vbx: phi must have one value per dimension');
  if (initialGamma.length !== numFrames * numSpeakers) throw new Error('vbx: gamma does not match numFrames x numSpeakers');
  const epsilon = options.epsilon ?? DEFAULT_EPSILON;
  const ratio = options.fa / options.fb;
  let priors = options.initialPriors ? Float64Array.from(options.initialPriors) : new Float64Array(numSpeakers).fill(1 / numSpeakers);
  if (priors.length !== numSpeakers) throw new Error('vbx: one prior per speaker expected');
  let gamma = Float64Array.from(initialGamma);

  // Per-frame constant of (23) and rho = X * sqrt(phi) of (18).
  const frameConstant = new Float64Array(numFrames);
  const rho = new Float64Array(numFrames * dimension);
  const sqrtPhi = phi.map(Math.sqrt);
  for (let t = 0; t < numFrames; t++) {
    let squared = 0;
    for (let d = 0; d < dimension; d++) {
      const x = features[t * dimension + d];
      squared += x * x;
      rho[t * dimension + d] = x * sqrtPhi[d];
    }
    frameConstant[t] = -0.5 * (squared + dimension * Math.log(2 * Math.PI));
  }

  const invL = new Float64Array(numSpeakers * dimension);
  const alpha = new Float64Array(numSpeakers * dimension);
  const logLikelihood = new Float64Array(numFrames * numSpeakers);
  const elbo: number[] = [];

  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    // (17) and (16): speaker model posteriors.
    for (let s = 0; s < numSpeakers; s++) {
      let occupancy = 0;
      for (let t = 0; t < numFrames; t++) occupancy += gamma[t * numSpeakers + s];
      for (let d = 0; d < dimension; d++) invL[s * dimension + d] = 1 / (1 + ratio * occupancy * phi[d]);
      for (let d = 0; d < dimension; d++) {
        let statistic = 0;
        for (let t = 0; t < numFrames; t++) statistic += gamma[t * numSpeakers + s] * rho[t * dimension + d];
        alpha[s * dimension + d] = ratio * invL[s * dimension + d] * statistic;
      }
    }
    // (23): per-frame, per-speaker log-likelihoods.
    for (let s = 0; s < numSpeakers; s++) {
      let penalty = 0;
      for (let d = 0; d < dimension; d++) {
        const a = alpha[s * dimension + d];
        penalty += (invL[s * dimension + d] + a * a) * phi[d];
      }
      for (let t = 0; t < numFrames; t++) {
        let dot = 0;
        for (let d = 0; d < dimension; d++) dot += rho[t * dimension + d] * alpha[s * dimension + d];
        logLikelihood[t * numSpeakers + s] = options.fa * (dot - 0.5 * penalty + frameConstant[t]);
      }
    }
    // GMM update of responsibilities and priors.
    const logPriors = priors.map((p) => Math.log(p + PRIOR_FLOOR));
    const nextGamma = new Float64Array(numFrames * numSpeakers);
    let totalLogLikelihood = 0;
    for (let t = 0; t < numFrames; t++) {
      const row = t * numSpeakers;
      let maximum = -Infinity;
      for (let s = 0; s < numSpeakers; s++) maximum = Math.max(maximum, logLikelihood[row + s] + logPriors[s]);
      let sum = 0;
      for (let s = 0; s < numSpeakers; s++) sum += Math.exp(logLikelihood[row + s] + logPriors[s] - maximum);
      const logMarginal = Math.log(sum) + maximum;
      totalLogLikelihood += logMarginal;
      for (let s = 0; s < numSpeakers; s++) nextGamma[row + s] = Math.exp(logLikelihood[row + s] + logPriors[s] - logMarginal);
    }
    gamma = nextGamma;
    priors = new Float64Array(numSpeakers);
    for (let t = 0; t < numFrames; t++) for (let s = 0; s < numSpeakers; s++) priors[s] += gamma[t * numSpeakers + s];
    const priorTotal = priors.reduce((a, b) => a + b, 0);
    for (let s = 0; s < numSpeakers; s++) priors[s] /= priorTotal;

    // (25): evidence lower bound.
    let regulariser = 0;
    for (let i = 0; i < numSpeakers * dimension; i++) regulariser += Math.log(invL[i]) - invL[i] - alpha[i] * alpha[i] + 1;
    const current = totalLogLikelihood + options.fb * 0.5 * regulariser;
    elbo.push(current);
    if (iteration > 0 && current - elbo[iteration - 1] < epsilon) break;
  }
  return { gamma, priors, elbo, numSpeakers };
}

/**
 * pyannote `cluster_vbx` initialisation: one-hot AHC labels, sharpened by a softmax of
 * `smoothing` times the one-hot rows (raw one-hot when smoothing is negative).
 */
export function initialResponsibilities(labels: ArrayLike<number>, smoothing: number): { gamma: Float64Array; numSpeakers: number } {
  let numSpeakers = 0;
  for (let i = 0; i < labels.length; i++) numSpeakers = Math.max(numSpeakers, labels[i] + 1);
  const gamma = new Float64Array(labels.length * numSpeakers);
  if (smoothing < 0) {
    for (let t = 0; t < labels.length; t++) gamma[t * numSpeakers + labels[t]] = 1;
    return { gamma, numSpeakers };
  }
  // scipy softmax of a row holding `smoothing` once and 0 elsewhere, shifted by its maximum.
  const low = Math.exp(-smoothing);
  for (let t = 0; t < labels.length; t++) {
    let total = 0;
    for (let s = 0; s < numSpeakers; s++) total += s === labels[t] ? 1 : low;
    for (let s = 0; s < numSpeakers; s++) gamma[t * numSpeakers + s] = (s === labels[t] ? 1 : low) / total;
  }
  return { gamma, numSpeakers };
}

/** pyannote `cluster_vbx`: VBx initialised from AHC labels, as many speakers as AHC clusters. */
export function clusterVbxFromLabels(
  labels: ArrayLike<number>,
  features: Float64Array,
  dimension: number,
  phi: Float64Array,
  options: VbxOptions & { initSmoothing: number },
): VbxResult {
  const { gamma, numSpeakers } = initialResponsibilities(labels, options.initSmoothing);
  return vbx(features, labels.length, dimension, phi, gamma, numSpeakers, options);
}
