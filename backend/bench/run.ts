import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One line of a benchmark's table. */
export type Row = Record<string, string | number>;

/** What every `*.bench.ts` exports. */
export interface BenchModule {
  run(): Promise<Row[]>;
}

/**
 * Runs every `*.bench.ts` (`*.bench.js` when compiled) in this folder, one after the other, and prints one table
 * each: `npm run bench -w backend [-- name-filter]`. Benchmarks are not part of `npm test`.
 */
async function main(): Promise<void> {
  const extension = __filename.endsWith('.js') ? '.bench.js' : '.bench.ts';
  const filter = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith(extension) && (!filter || file.includes(filter)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${filter ?? '*'}`);
  let failed = false;
  for (const file of files) {
    const name = file.slice(0, -extension.length);
    process.stdout.write(`\n== ${name} ==\n`);
    try {
      const bench = (await import(join(__dirname, file))) as BenchModule;
      console.table(await bench.run());
    } catch (error) {
      failed = true;
      process.stdout.write(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
