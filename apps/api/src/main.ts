import { createLogger, handleShutdownSignals, loadConfigOrExit } from '@diarization/config';
import { exitOnStartFailure } from './start-failure';
import { startApi } from './server';

const config = loadConfigOrExit('api');
const logger = createLogger(config.logLevel, { service: 'diarization-api' });

void startApi(config, logger).then((api) => {
  // close() lets requests in progress finish for SHUTDOWN_GRACE_SECONDS, then cuts the rest.
  handleShutdownSignals(logger, () => api.close());
}, exitOnStartFailure);

