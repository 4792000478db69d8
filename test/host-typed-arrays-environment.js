'use strict';
// Jest runs each test file in its own realm, so a Float32Array made there is not an
// instance of the host's Float32Array. onnxruntime-node checks tensor data with
// `instanceof` against the host constructors, so share them with the test realm.
const { TestEnvironment } = require('jest-environment-node');

const SHARED_CONSTRUCTORS = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_CONSTRUCTORS) {
      if (typeof globalThis[name] === 'function') this.global[name] = globalThis[name];
    }
  }
}

module.exports = HostTypedArraysEnvironment;
