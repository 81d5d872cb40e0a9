/**
 * `FROM <table> <alias>` of a query builder's SQL with `FORCE INDEX (<index>)` after it (TypeORM only writes
 * `USE INDEX`, which MariaDB may still ignore). The SQL is returned unchanged when the table is not found there.
 */
export function forceIndex(sql: string, tableAndAlias: string, index: string): string {
  const from = `FROM ${tableAndAlias}`;
  return sql.includes(from) ? sql.replace(from, `${from} FORCE INDEX (\`${index}\`)`) : sql;
}
