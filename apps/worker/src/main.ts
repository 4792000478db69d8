import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@diarization/config';
import { startWorker } from './worker';

const config = loadConfigOrExit('worker');
const logger = createLogger(config.logLevel, { service: 'diarization-worker' });
const worker = startWorker(config, logger);
handleShutdownSignals(logger, () => worker.close());
