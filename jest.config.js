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
    '^@diarization/engine/io$': '<rootDir>/packages/engine/src/io',
    '^@diarization/(engine|evaluation|config|storage|jobs)$': '<rootDir>/packages/$1/src',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 120000,
};
