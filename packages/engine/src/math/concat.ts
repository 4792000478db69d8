/**
 * Joins Float32Array pieces end to end into one new array. `totalLength`, when the caller has
 * already counted it, must be the sum of the pieces' lengths.
 */
export function concatFloat32(
  pieces: readonly Float32Array[],
  totalLength = pieces.reduce((sum, piece) => sum + piece.length, 0),
): Float32Array {
  const joined = new Float32Array(totalLength);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}
