/**
 * The audio every part of the service works with. Light on purpose (no imports): the service
 * configuration takes its defaults from here without loading the engine.
 */

/** Samples per second of the audio the models take; every decoder resamples to it. */
export const SAMPLE_RATE = 16000;

/** Longest audio accepted unless configured otherwise (MAX_AUDIO_SECONDS): four hours. */
export const DEFAULT_MAX_AUDIO_SECONDS = 4 * 3600;
