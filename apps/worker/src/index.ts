export { startWorker, type RunningWorker } from './worker';
export { handleShutdownSignals } from './shutdown';
