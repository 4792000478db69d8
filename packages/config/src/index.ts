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
export { createLogger, silentLogger, type Logger, type LogFields } from './logger';
