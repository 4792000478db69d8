/**
 * `npm start`: the API and one worker in one process, for a single machine with Redis. It is
 * its own workspace so that neither the API nor the worker depends on the other.
 */
import { exitOnStartFailure, startApi } from '@diarization/api';
import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@diarization/config';
import { startWorker } from '@diarization/worker';

const config = loadConfigOrExit('all');
const logger = createLogger(config.logLevel, { service: 'diarization' });

void startApi(config, logger).then((api) => {
  const worker = startWorker(config, logger);
  // Both at once: each may use its SHUTDOWN_GRACE_SECONDS (requests in progress, running jobs).
  handleShutdownSignals(logger, async () => {
    const [apiClosed, workerClosed] = await Promise.allSettled([api.close(), worker.close()]);
    if (apiClosed.status === 'rejected') throw apiClosed.reason;
    if (workerClosed.status === 'rejected') throw workerClosed.reason;
  });
}, exitOnStartFailure);
