export * from './npy';
export * from './npz';
