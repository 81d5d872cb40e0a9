// What `npm start` (scripts/start*.mjs) prints: progress, warnings, and a fatal line that stops it.
export const say = (message) => process.stdout.write(`\x1b[36m[start]\x1b[0m ${message}\n`);
export const warn = (message) => process.stdout.write(`\x1b[33m[start]\x1b[0m ${message}\n`);
export const fail = (message) => {
  process.stderr.write(`\x1b[31m[start]\x1b[0m ${message}\n`);
  process.exit(1);
};
