import { createLogger, loadConfigOrExit } from '@diarization/config';
import { exitOnStartFailure } from './start-failure';
import { startApi } from './server';

const config = loadConfigOrExit('api');
const logger = createLogger(config.logLevel, { service: 'diarization-api' });

void startApi(config, logger).then((api) => {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    // close() lets requests in progress finish for SHUTDOWN_GRACE_SECONDS, then cuts the rest.
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}, exitOnStartFailure);

