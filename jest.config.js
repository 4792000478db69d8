/** @type {import('jest').Config} */
module.exports = {
  // onnxruntime-node checks typed arrays against the host realm's constructors.
  testEnvironment: '<rootDir>/test/host-typed-arrays-environment.js',
  roots: ['<rootDir>/models', '<rootDir>/packages', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@diarization/models$': '<rootDir>/models/src',
    '^@diarization/engine/(io|assignment)$': '<rootDir>/packages/engine/src/$1',
    '^@diarization/(common|engine|evaluation|config|storage|jobs|transcripts)$': '<rootDir>/packages/$1/src',
    '^@diarization/transcripts/cue-text$': '<rootDir>/packages/transcripts/src/cue-text',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 120000,
};
