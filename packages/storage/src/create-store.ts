import type { StorageConfig } from '@diarization/config';
import { LocalObjectStore } from './local-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-store';

/** The store the configuration asks for: S3 when S3_ENDPOINT is set, else a local folder. */
export function createObjectStore(config: StorageConfig): ObjectStore {
  if (config.kind === 'local') return new LocalObjectStore(config.dir);
  return new S3ObjectStore(config);
}
