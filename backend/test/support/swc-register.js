// Lets a child process run the TypeScript sources directly (node -r ./test/support/swc-register.js src/main.ts),
// compiled by SWC with the same settings as the jest transform.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const options = JSON.parse(readFileSync(`${__dirname}/../../.swcrc.jest.json`, 'utf8'));
options.sourceMaps = 'inline';

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename, swcrc: false });
  module._compile(code, filename);
};
void Module;
