"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SAMPLE_FIXTURES = exports.SHARED_EVAL = exports.SHARED_MODELS = exports.SHARED_DIR = void 0;
const node_path_1 = require("node:path");
/** The shared data folder that sits beside the checkout (override with SHARED_DIR). */
exports.SHARED_DIR = (0, node_path_1.resolve)(process.env.SHARED_DIR ?? (0, node_path_1.resolve)(__dirname, '../../shared'));
exports.SHARED_MODELS = (0, node_path_1.resolve)(exports.SHARED_DIR, 'models');
exports.SHARED_EVAL = (0, node_path_1.resolve)(exports.SHARED_DIR, 'eval');
exports.SAMPLE_FIXTURES = (0, node_path_1.resolve)(exports.SHARED_MODELS, 'fixtures/pyannote_sample');
