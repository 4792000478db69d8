import { loadNpz, requireArray, toFloat64 } from '../numpy';
import { PldaLatentBasis, pldaLatentBasis } from './plda-basis';

/** x-vector pre-processing of pyannote's `xvec_transform.npz`: centring, LDA, length norms. */
export interface XvecTransformParameters {
  mean1: Float64Array;
  mean2: Float64Array;
  /** Row-major inputDimension x outputDimension (numpy `lda`). */
  lda: Float64Array;
  inputDimension: number;
  outputDimension: number;
}

/** `plda.npz`: PLDA mean, transform (row-major, square) and across-class variances. */
export interface PldaParameters {
  mu: Float64Array;
  tr: Float64Array;
  psi: Float64Array;
}

function l2NormalizeInPlace(values: Float64Array, scale: number): void {
  let squared = 0;
  for (const v of values) squared += v * v;
  const factor = scale / Math.sqrt(squared);
  for (let i = 0; i < values.length; i++) values[i] *= factor;
}

/**
 * pyannote.audio `PLDA` (core/plda.py + utils/vbx.py `vbx_setup`): maps raw speaker embeddings
 * to the PLDA latent space where VBx runs.
 */
export class Plda {
  private readonly latentDimension: number;

  private constructor(
    private readonly xvec: XvecTransformParameters,
    private readonly mu: Float64Array,
    private readonly basis: PldaLatentBasis,
    /** Number of latent dimensions kept (pyannote `lda_dimension`). */
    readonly ldaDimension: number,
  ) {
    this.latentDimension = mu.length;
    if (ldaDimension < 1 || ldaDimension > this.latentDimension) {
      throw new Error(`PLDA: ldaDimension must be in [1, ${this.latentDimension}] (got ${ldaDimension})`);
    }
    if (xvec.outputDimension !== this.latentDimension) {
      throw new Error('PLDA: xvec transform output dimension differs from the PLDA dimension');
    }
  }

  static fromParameters(xvec: XvecTransformParameters, plda: PldaParameters, ldaDimension = 128): Plda {
    const n = plda.mu.length;
    if (xvec.lda.length !== xvec.inputDimension * xvec.outputDimension) throw new Error('PLDA: lda has the wrong size');
    if (xvec.mean1.length !== xvec.inputDimension || xvec.mean2.length !== xvec.outputDimension) {
      throw new Error('PLDA: mean1/mean2 sizes do not match lda');
    }
    return new Plda(xvec, plda.mu, pldaLatentBasis(plda.tr, plda.psi, n), ldaDimension);
  }

  static load(transformNpzPath: string, pldaNpzPath: string, ldaDimension = 128): Plda {
    const transform = loadNpz(transformNpzPath);
    const lda = requireArray(transform, 'lda', transformNpzPath);
    if (lda.shape.length !== 2) throw new Error(`${transformNpzPath}: lda must be 2-D`);
    const plda = loadNpz(pldaNpzPath);
    return Plda.fromParameters(
      {
        mean1: toFloat64(requireArray(transform, 'mean1', transformNpzPath)),
        mean2: toFloat64(requireArray(transform, 'mean2', transformNpzPath)),
        lda: toFloat64(lda),
        inputDimension: lda.shape[0],
        outputDimension: lda.shape[1],
      },
      {
        mu: toFloat64(requireArray(plda, 'mu', pldaNpzPath)),
        tr: toFloat64(requireArray(plda, 'tr', pldaNpzPath)),
        psi: toFloat64(requireArray(plda, 'psi', pldaNpzPath)),
      },
      ldaDimension,
    );
  }

  get inputDimension(): number {
    return this.xvec.inputDimension;
  }

  /** Across-class variances of the kept latent dimensions (pyannote `PLDA.phi`). */
  get phi(): Float64Array {
    return this.basis.psi.slice(0, this.ldaDimension);
  }

  /**
   * pyannote `xvec_tf`: sqrt(out) * l2(lda^T (sqrt(in) * l2(x - mean1)) - mean2).
   * Rows are numRows x inputDimension; result numRows x outputDimension.
   */
  xvecTransform(rows: ArrayLike<number>, numRows: number): Float64Array {
    const { mean1, mean2, lda, inputDimension: inDim, outputDimension: outDim } = this.xvec;
    if (rows.length !== numRows * inDim) throw new Error('xvecTransform: rows do not match numRows x inputDimension');
    const out = new Float64Array(numRows * outDim);
    const centred = new Float64Array(inDim);
    const projected = new Float64Array(outDim);
    for (let i = 0; i < numRows; i++) {
      for (let d = 0; d < inDim; d++) centred[d] = rows[i * inDim + d] - mean1[d];
      l2NormalizeInPlace(centred, Math.sqrt(inDim));
      projected.fill(0);
      for (let d = 0; d < inDim; d++) {
        const value = centred[d];
        for (let k = 0; k < outDim; k++) projected[k] += value * lda[d * outDim + k];
      }
      for (let k = 0; k < outDim; k++) projected[k] -= mean2[k];
      l2NormalizeInPlace(projected, Math.sqrt(outDim));
      out.set(projected, i * outDim);
    }
    return out;
  }

  /** pyannote `plda_tf`: (x - mu) projected on the first ldaDimension latent directions. */
  pldaTransform(rows: ArrayLike<number>, numRows: number): Float64Array {
    const n = this.latentDimension;
    const kept = this.ldaDimension;
    if (rows.length !== numRows * n) throw new Error('pldaTransform: rows do not match numRows x PLDA dimension');
    const out = new Float64Array(numRows * kept);
    const centred = new Float64Array(n);
    for (let i = 0; i < numRows; i++) {
      for (let d = 0; d < n; d++) centred[d] = rows[i * n + d] - this.mu[d];
      for (let r = 0; r < kept; r++) {
        let sum = 0;
        for (let d = 0; d < n; d++) sum += centred[d] * this.basis.transform[r * n + d];
        out[i * kept + r] = sum;
      }
    }
    return out;
  }

  /** pyannote `PLDA.__call__`: raw embeddings (numRows x inputDimension) to VBx features (numRows x ldaDimension). */
  project(rows: ArrayLike<number>, numRows: number): Float64Array {
    return this.pldaTransform(this.xvecTransform(rows, numRows), numRows);
  }
}
