/**
 * Per embedding model (manifest id), the two cosine-similarity settings that depend on how the
 * model spreads its vectors; tuned on ../shared/eval where the model is available offline.
 */
interface Calibration {
  /**
   * Lowest similarity between a speaker's centroid and a voiceprint that counts as that voice
   * (`npm run eval -- --identify`, README "Identification").
   */
  identifyThreshold: number;
  /**
   * Similarity of an embedding to its speaker's centroid at which it adds nothing to the
   * confidence (pipeline/confidence.ts; `npm run eval -- --confidence`).
   */
  confidenceFloor: number;
}

const TUNED: Readonly<Record<string, Calibration>> = {
  'openvoice-refenc': { identifyThreshold: 0.85, confidenceFloor: 0.7 },
  // pyannote's WeSpeaker ResNet34 is not available offline, so these are not measured here: the
  // usual cosine operating point of VoxCeleb-trained ResNets.
  'wespeaker-resnet34-lm': { identifyThreshold: 0.5, confidenceFloor: 0.3 },
};

/** For models nobody has tuned (user files, the random-weight benchmark model). */
const UNTUNED: Calibration = { identifyThreshold: 0.5, confidenceFloor: 0.3 };

export function modelCalibration(modelId: string): Calibration {
  return TUNED[modelId] ?? UNTUNED;
}

export function defaultIdentifyThreshold(modelId: string): number {
  return modelCalibration(modelId).identifyThreshold;
}
