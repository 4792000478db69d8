/**
 * `@diarization/engine/assignment`: the optimal assignment (Hungarian method) on its own, for
 * scoring (packages/evaluation maps hypothesis to reference speakers with it) without loading
 * onnxruntime or ffmpeg.
 */
export { linearSumAssignment, type Assignment } from './math/linear-sum-assignment';
