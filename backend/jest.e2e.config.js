const base = require('./jest.base.config');

/** End-to-end tests against real MariaDB/MySQL and Redis and the local sandboxes. */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
