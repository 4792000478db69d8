export {
  assertValidKey,
  isStorageUnavailable,
  ObjectNotFoundError,
  StorageUnavailableError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type StaleUploadCutoff,
  type StoredObject,
} from './object-store';
export { LocalObjectStore } from './local-store';
export { S3ObjectStore, type S3StoreOptions } from './s3-store';
export { createObjectStore } from './create-store';
export { downloadToFile, readText } from './helpers';
