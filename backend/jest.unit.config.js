const base = require('./jest.base.config');

/** Unit tests: `*.spec.ts` beside the code; no database, Redis or network. */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/sandbox/**/*.spec.ts'],
};
