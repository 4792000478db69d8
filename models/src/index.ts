export * from './manifest';
export * from './checksum';
export * from './status';
export * from './install';
export { ensureEmbeddingParts, type EmbeddingParts, type EnsurePartsOptions } from './derived-parts';
export { GraphMismatchError, splitWespeaker, HEAD_INPUT, HEAD_OUTPUT, TRUNK_INPUT, TRUNK_OUTPUT, type WespeakerParts } from './onnx/wespeaker-parts';
