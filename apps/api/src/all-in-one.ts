/** `npm start`: the API and one worker in one process, for a single machine with Redis. */
import { createLogger, loadConfigOrExit } from '@diarization/config';
import { handleShutdownSignals, startWorker } from '@diarization/worker';
import { startApi } from './server';

const config = loadConfigOrExit('all');
const logger = createLogger(config.logLevel, { service: 'diarization' });

void startApi(config, logger).then((api) => {
  const worker = startWorker(config, logger);
  handleShutdownSignals(logger, async () => {
    await api.close();
    await worker.close();
  });
});
