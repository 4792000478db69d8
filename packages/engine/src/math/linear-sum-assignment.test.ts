import { linearSumAssignment } from './linear-sum-assignment';

function total(cost: number[], columnsCount: number, rows: number[], columns: number[]): number {
  return rows.reduce((sum, r, i) => sum + cost[r * columnsCount + columns[i]], 0);
}

/** Brute force over every injective assignment of the smaller side. */
function bruteForce(cost: number[], numRows: number, numColumns: number, maximize: boolean): number {
  let best = maximize ? -Infinity : Infinity;
  const recurse = (row: number, used: Set<number>, sum: number, assigned: number) => {
    const needed = Math.min(numRows, numColumns);
    if (assigned === needed) {
      best = maximize ? Math.max(best, sum) : Math.min(best, sum);
      return;
    }
    if (row === numRows) return;
    if (numRows - row > needed - assigned) recurse(row + 1, used, sum, assigned); // leave this row out
    for (let c = 0; c < numColumns; c++) {
      if (used.has(c)) continue;
      used.add(c);
      recurse(row + 1, used, sum + cost[row * numColumns + c], assigned + 1);
      used.delete(c);
    }
  };
  recurse(0, new Set(), 0, 0);
  return best;
}

describe('linearSumAssignment', () => {
  it('solves the textbook 3x3 example like scipy', () => {
    const cost = [4, 1, 3, 2, 0, 5, 3, 2, 2];
    const result = linearSumAssignment(cost, 3, 3);
    expect(result).toEqual({ rows: [0, 1, 2], columns: [1, 0, 2] });
    expect(total(cost, 3, result.rows, result.columns)).toBe(5);
  });

  it('maximizes on a wide matrix (3 local speakers, 4 clusters)', () => {
    const scores = [0.9, 0.1, 0.2, 0.3, 0.8, 0.7, 0.1, 0.0, 0.75, 0.2, 0.6, 0.1];
    const result = linearSumAssignment(scores, 3, 4, true);
    expect(result.rows).toEqual([0, 1, 2]);
    expect(result.columns).toEqual([0, 1, 2]);
  });

  it('assigns only as many rows as there are columns on a tall matrix', () => {
    const scores = [0.9, 0.1, 0.8, 0.2, 0.1, 0.95];
    const result = linearSumAssignment(scores, 3, 2, true);
    expect(result.rows).toEqual([0, 2]);
    expect(result.columns).toEqual([0, 1]);
  });

  it('matches brute force on random matrices of many shapes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 200; trial++) {
      const numRows = 1 + Math.floor(random() * 5);
      const numColumns = 1 + Math.floor(random() * 5);
      const cost = Array.from({ length: numRows * numColumns }, () => Math.round(random() * 20) / 4);
      for (const maximize of [false, true]) {
        const result = linearSumAssignment(cost, numRows, numColumns, maximize);
        expect(result.rows.length).toBe(Math.min(numRows, numColumns));
        expect(new Set(result.columns).size).toBe(result.columns.length);
        expect(total(cost, numColumns, result.rows, result.columns)).toBeCloseTo(
          bruteForce(cost, numRows, numColumns, maximize),
          9,
        );
      }
    }
  });

  it('rejects NaN and mismatched shapes', () => {
    expect(() => linearSumAssignment([1, NaN], 1, 2)).toThrow(/non-finite/);
    expect(() => linearSumAssignment([1, 2, 3], 2, 2)).toThrow(/does not match/);
  });
});
