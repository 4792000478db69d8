/**
 * Nearest integer, exact halves to the even neighbour, as numpy.rint and Python 3's `round(x)` do
 * (round(0.5) == 0, round(1.5) == 2, round(2.5) == 2).
 */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
