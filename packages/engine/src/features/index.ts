export * from './fbank';
export * from './frame-mean';
export * from './mel-banks';
export * from './polyphase-filter';
export * from './resample';
