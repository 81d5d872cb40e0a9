/**
 * Benchmark only: with BENCH_STATEMENTS_FILE set, the process counts the SQL statements it sends through TypeORM
 * (every query of the app goes through a MySQL query runner) and writes the count to that file every 200 ms and on
 * exit, so a benchmark can report statements per event without a server-wide counter that other load disturbs.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';

const file = process.env.BENCH_STATEMENTS_FILE;
if (file) {
  let statements = 0;
  const query = MysqlQueryRunner.prototype.query;
  MysqlQueryRunner.prototype.query = function counted(
    this: MysqlQueryRunner,
    ...args: Parameters<typeof query>
  ) {
    statements += 1;
    return query.apply(this, args);
  } as typeof query;
  // written aside, then renamed: a reader never sees a half-written file
  const save = (): void => {
    writeFileSync(`${file}.${process.pid}`, String(statements));
    renameSync(`${file}.${process.pid}`, file);
  };
  setInterval(save, 200).unref();
  process.on('exit', save);
}

/** What a process counting its statements wrote last (0 before it wrote anything). */
export function statementsOf(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8')) || 0;
  } catch {
    return 0;
  }
}
