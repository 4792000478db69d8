/**
 * Modified Bessel function of the first kind, order 0, by its power series
 * sum_k ((x/2)^k / k!)^2. Every term is positive, so the sum is accurate to
 * float64 precision; it converges quickly for the |x| < ~50 that Kaiser
 * windows use.
 */
export function besselI0(x: number): number {
  const quarterSquare = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}
