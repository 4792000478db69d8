/**
 * Powerset classes in pyannote's order: the empty set, then every single speaker, then every pair
 * (itertools.combinations order), up to `maxSetSize` speakers.
 */
export function powersetClasses(numSpeakers: number, maxSetSize: number): number[][] {
  const classes: number[][] = [];
  const combine = (size: number, first: number, current: number[]) => {
    if (current.length === size) {
      classes.push([...current]);
      return;
    }
    for (let s = first; s < numSpeakers; s++) combine(size, s + 1, [...current, s]);
  };
  for (let size = 0; size <= maxSetSize; size++) combine(size, 0, []);
  return classes;
}

/**
 * Hard multilabel segmentation from powerset scores: argmax over classes per frame (first
 * maximum wins, like torch.argmax on CPU), then the speakers of that class are active.
 */
export function powersetToMultilabel(
  scores: Float32Array,
  numFrames: number,
  classes: readonly number[][],
  numSpeakers: number,
  out: Uint8Array = new Uint8Array(numFrames * numSpeakers),
): Uint8Array {
  const numClasses = classes.length;
  out.fill(0);
  for (let f = 0; f < numFrames; f++) {
    const row = f * numClasses;
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (scores[row + k] > scores[row + best]) best = k;
    for (const speaker of classes[best]) out[f * numSpeakers + speaker] = 1;
  }
  return out;
}
