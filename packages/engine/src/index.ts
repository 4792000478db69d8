export * from './io';
export { DiarizationEngine, DEFAULT_MAX_DURATION_SECONDS, type EngineDescription, type InternalDiarizeOptions } from './engine';
export type { Replay } from './pipeline/analyse';
export { loadReplayFolder } from './pipeline/replay-folder';
export { linearSumAssignment, type Assignment } from './math/linear-sum-assignment';
export * from './numpy';
