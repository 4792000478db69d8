export * from './types';
export * from './errors';
export { DiarizationEngine, type EngineDescription } from './engine';
export { linearSumAssignment, type Assignment } from './math/linear-sum-assignment';
export * from './numpy';
