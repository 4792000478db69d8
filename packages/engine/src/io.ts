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
export { SAMPLE_RATE } from '@diarization/common';
export { toRttm } from './output/rttm';
export { formatFixed, roundMillis } from './output/decimal';
export * from './speaker-bounds-schema';
export { embeddingModelRef } from './identification/model-ref';
export { identifySpeakers, checkVoiceprintModels, cosineSimilarity } from './identification/identify';
export { defaultIdentifyThreshold, modelCalibration } from './identification/model-calibration';
export { VOICE_CLIP_MAX_SECONDS, VOICE_MIN_SPEECH_SECONDS } from './identification/enrollment';
