import type { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * Plain SQL for entity rows on hot paths, where TypeORM's query builder and hydration cost more CPU than the query
 * itself. Values go through the driver exactly as TypeORM would send and read them (column transformers, dates,
 * bigints), so rows written and read here are the same as through a repository.
 */

/**
 * `INSERT IGNORE` of entities of one table in one statement: the columns any of them has; a row without one of
 * them gets the column's default (`DEFAULT`), as a single-row insert leaving it out would.
 */
export function insertIgnoreStatement(
  manager: EntityManager,
  metadata: EntityMetadata,
  entities: ObjectLiteral | readonly ObjectLiteral[],
): { sql: string; parameters: unknown[] } {
  const { table, columns, values, parameters } = rowValues(manager, metadata, entities);
  return { sql: `INSERT IGNORE INTO ${table} (${columns}) VALUES ${values}`, parameters };
}

/**
 * `INSERT … ON DUPLICATE KEY UPDATE` of entities of one table in one statement, the rows built as
 * `insertIgnoreStatement` builds them: a row whose unique key exists gets the `update` columns (database names)
 * of its new values — what TypeORM's `insert().orUpdate(update, …)` sends, without its per-parameter cost (quadratic
 * in the number of values of a multi-row statement).
 */
export function upsertStatement(
  manager: EntityManager,
  metadata: EntityMetadata,
  entities: readonly ObjectLiteral[],
  update: readonly string[],
): { sql: string; parameters: unknown[] } {
  // the updated columns are always listed (DEFAULT when a row has no value), as TypeORM lists every column
  const { table, columns, values, parameters } = rowValues(manager, metadata, entities, update);
  const assignments = update.map((column) => `\`${column}\` = VALUES(\`${column}\`)`).join(', ');
  return {
    sql: `INSERT INTO ${table} (${columns}) VALUES ${values} ON DUPLICATE KEY UPDATE ${assignments}`,
    parameters,
  };
}

function rowValues(
  manager: EntityManager,
  metadata: EntityMetadata,
  entities: ObjectLiteral | readonly ObjectLiteral[],
  listed: readonly string[] = [],
): { table: string; columns: string; values: string; parameters: unknown[] } {
  const rows: readonly ObjectLiteral[] = Array.isArray(entities)
    ? (entities as readonly ObjectLiteral[])
    : [entities];
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter(
    (column) =>
      listed.includes(column.databaseName) || rows.some((row) => row[column.propertyName] !== undefined),
  );
  const parameters: unknown[] = [];
  const values = rows.map((row) => {
    const cells = columns.map((column) => {
      const value: unknown = row[column.propertyName];
      if (value === undefined) return 'DEFAULT';
      parameters.push(driver.preparePersistentValue(value, column));
      return '?';
    });
    return `(${cells.join(', ')})`;
  });
  return {
    table: `\`${metadata.tableName}\``,
    columns: columns.map((column) => `\`${column.databaseName}\``).join(', '),
    values: values.join(', '),
    parameters,
  };
}

/** A row read with plain SQL (`SELECT *`) as the entity TypeORM would hydrate. */
export function hydrateRow<T extends ObjectLiteral>(
  manager: EntityManager,
  metadata: EntityMetadata,
  prototype: T,
  row: Record<string, unknown>,
): T {
  const driver = manager.connection.driver;
  const entity = Object.create(prototype) as Record<string, unknown>;
  for (const column of metadata.columns) {
    entity[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column);
  }
  return entity as T;
}
