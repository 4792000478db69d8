import { resolve } from 'node:path';

/** The shared data folder that sits beside the checkout (override with SHARED_DIR). */
export const SHARED_DIR = resolve(process.env.SHARED_DIR ?? resolve(__dirname, '../../shared'));
export const SHARED_MODELS = resolve(SHARED_DIR, 'models');
export const SHARED_EVAL = resolve(SHARED_DIR, 'eval');
export const SAMPLE_FIXTURES = resolve(SHARED_MODELS, 'fixtures/pyannote_sample');
export const WESPEAKER_WEIGHTED_FIXTURES = resolve(SHARED_MODELS, 'fixtures/wespeaker_weighted');
