const base = require('./jest.base.config');

/** Browser tests of the console: headless Debian chromium driven by playwright-core. */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
