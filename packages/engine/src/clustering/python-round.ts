/** Python 3 `round(x)`: nearest integer, exact halves to the even neighbour (round(2.5) == 2). */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
