import { besselI0 } from './bessel-i0';

describe('besselI0', () => {
  it('matches reference values', () => {
    // scipy.special.i0 values.
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI0(5)).toBeCloseTo(27.239871823604442, 12);
  });

  it('follows the large-argument expansion e^x / sqrt(2 pi x) (1 + 1/(8x) + 9/(128x^2) + 225/(3072x^3))', () => {
    for (const x of [20, 40]) {
      const series = 1 + 1 / (8 * x) + 9 / (128 * x * x) + 225 / (3072 * x ** 3);
      const expected = (Math.exp(x) / Math.sqrt(2 * Math.PI * x)) * series;
      expect(Math.abs(besselI0(x) / expected - 1)).toBeLessThan(1e-5);
    }
  });

  it('is even', () => {
    expect(besselI0(-3.3)).toBe(besselI0(3.3));
  });
});
