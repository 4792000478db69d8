export * from './manifest';
export * from './checksum';
export * from './status';
export * from './install';
