/**
 * Rectangular linear sum assignment (the problem scipy.optimize.linear_sum_assignment solves):
 * pick one column for each row (or one row for each column when there are fewer columns) so that
 * the total cost is minimal, or maximal with `maximize`. Shortest augmenting paths with
 * potentials (Jonker-Volgenant style), O(n^2 m).
 */
export interface Assignment {
  /** Row indices, increasing. */
  rows: number[];
  /** Column assigned to rows[i]. */
  columns: number[];
}

/** `cost` is row-major with `numRows * numColumns` finite values. */
export function linearSumAssignment(
  cost: ArrayLike<number>,
  numRows: number,
  numColumns: number,
  maximize = false,
): Assignment {
  if (cost.length !== numRows * numColumns) throw new Error('cost matrix size does not match its shape');
  if (numRows === 0 || numColumns === 0) return { rows: [], columns: [] };
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) throw new Error('cost matrix contains non-finite values');
  }

  // Work on a matrix with at least as many columns as rows.
  const transposed = numColumns < numRows;
  const n = transposed ? numColumns : numRows;
  const m = transposed ? numRows : numColumns;
  const sign = maximize ? -1 : 1;
  const at = (i: number, j: number) => sign * (transposed ? cost[j * numColumns + i] : cost[i * numColumns + j]);

  const u = new Float64Array(n); // row potentials
  const v = new Float64Array(m); // column potentials
  const rowOfColumn = new Int32Array(m).fill(-1);
  const columnOfRow = new Int32Array(n).fill(-1);
  const shortest = new Float64Array(m);
  const previousRow = new Int32Array(m);
  const columnDone = new Uint8Array(m);
  const remaining = new Int32Array(m);

  for (let currentRow = 0; currentRow < n; currentRow++) {
    shortest.fill(Infinity);
    columnDone.fill(0);
    let numRemaining = m;
    for (let j = 0; j < m; j++) remaining[j] = m - 1 - j;

    let row = currentRow;
    let minValue = 0;
    let sink = -1;
    while (sink === -1) {
      let lowest = Infinity;
      let lowestIndex = -1;
      for (let k = 0; k < numRemaining; k++) {
        const j = remaining[k];
        const reduced = minValue + at(row, j) - u[row] - v[j];
        if (reduced < shortest[j]) {
          previousRow[j] = row;
          shortest[j] = reduced;
        }
        // Prefer an unassigned column on ties so the path ends early.
        if (shortest[j] < lowest || (shortest[j] === lowest && rowOfColumn[j] === -1)) {
          lowest = shortest[j];
          lowestIndex = k;
        }
      }
      if (lowestIndex === -1 || lowest === Infinity) throw new Error('cost matrix is infeasible');
      minValue = lowest;
      const j = remaining[lowestIndex];
      if (rowOfColumn[j] === -1) sink = j;
      else row = rowOfColumn[j];
      columnDone[j] = 1;
      remaining[lowestIndex] = remaining[--numRemaining];
    }

    u[currentRow] += minValue;
    for (let j = 0; j < m; j++) {
      if (!columnDone[j]) continue;
      const r = rowOfColumn[j];
      if (r !== -1) u[r] += minValue - shortest[j];
      v[j] -= minValue - shortest[j];
    }
    // Augment along the path back to the current row.
    let j = sink;
    for (;;) {
      const r = previousRow[j];
      rowOfColumn[j] = r;
      const next = columnOfRow[r];
      columnOfRow[r] = j;
      if (r === currentRow) break;
      j = next;
    }
  }

  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) pairs.push(transposed ? [columnOfRow[i], i] : [i, columnOfRow[i]]);
  pairs.sort((a, b) => a[0] - b[0]);
  return { rows: pairs.map((p) => p[0]), columns: pairs.map((p) => p[1]) };
}
