/**
 * Deterministic pseudo-random numbers (mulberry32). Used where pyannote relies on a global RNG
 * (random.shuffle) or on scikit-learn's RandomState: we cannot reproduce those streams, so we
 * make our own runs reproducible instead.
 */
export type RandomSource = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, bound). */
export function randomInteger(random: RandomSource, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}
