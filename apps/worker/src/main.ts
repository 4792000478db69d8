import { createLogger, loadConfigOrExit } from '@diarization/config';
import { startWorker } from './worker';
import { handleShutdownSignals } from './shutdown';

const config = loadConfigOrExit('worker');
const logger = createLogger(config.logLevel, { service: 'diarization-worker' });
const worker = startWorker(config, logger);
handleShutdownSignals(logger, () => worker.close());
