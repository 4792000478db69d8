/**
 * The part of the engine that needs no ONNX runtime: audio decoding and checking, output
 * formats, errors and types. The API imports this (`@diarization/engine/io`) so that it does not
 * load onnxruntime just to check an upload or write RTTM.
 */
export * from './types';
export * from './errors';
export { decodeAudio, decodeAudioFile, MIN_DURATION_SECONDS, type DecodeOptions } from './audio/decode';
export { probeAudio, type AudioProbe, type ProbeOptions } from './audio/probe';
export { ffmpegPath } from './audio/ffmpeg-binary';
export { toRttm } from './output/rttm';
export { formatFixed, roundMillis } from './output/decimal';
export * from './speaker-bounds-schema';
