'use strict';
/**
 * Preloaded (`node --require`) into a bench's service process when a profile is asked for (`--cpu-prof` is not
 * allowed in NODE_OPTIONS): records a V8 CPU profile and writes it to $BENCH_CPU_PROFILE_DIR when the process
 * is asked to stop (SIGTERM) or exits. Open the .cpuprofile in Chrome DevTools. Not loaded otherwise.
 */
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
let written = false;
function write() {
  if (written || !dir) return;
  written = true;
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(join(dir, `service-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
}
process.prependListener('SIGTERM', write);
process.on('exit', write);
