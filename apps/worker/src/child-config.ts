import { loadConfig, type ServiceConfig } from '@diarization/config';

/** The variable through which the worker hands its validated configuration to its children. */
export const CHILD_CONFIG_VARIABLE = 'DIARIZATION_WORKER_CONFIG';

export function childEnvironment(config: ServiceConfig): NodeJS.ProcessEnv {
  return { ...process.env, [CHILD_CONFIG_VARIABLE]: JSON.stringify(config) };
}

/** In a sandboxed child: the parent's configuration, or the environment's when run alone. */
export function configInChild(): ServiceConfig {
  const serialized = process.env[CHILD_CONFIG_VARIABLE];
  if (serialized !== undefined) return JSON.parse(serialized) as ServiceConfig;
  return loadConfig(process.env, 'worker');
}
