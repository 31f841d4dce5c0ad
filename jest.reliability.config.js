// `npm run test:reliability`: SPEC §13's reliability properties with real service processes
// (test/reliability/*.reliability-spec.ts; docs/crash-safety.md "Reliability suite"). Same
// setup as jest.config.js (one embedded PostgreSQL for the run), its own file pattern.
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
  testTimeout: 300000,
};
