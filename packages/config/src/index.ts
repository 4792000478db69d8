export { envSchema } from './env-schema';
export {
  ConfigError,
  loadConfig,
  loadConfigOrExit,
  loadDotEnv,
  type ExecutionProvider,
  type LogLevel,
  type ServiceConfig,
  type ServiceRole,
  type StorageConfig,
} from './config';
export { describeZodError } from '@diarization/common';
export { createLogger, silentLogger, type Logger, type LogFields } from './logger';
export { handleShutdownSignals } from './shutdown';
