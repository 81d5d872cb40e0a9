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
  const rows: readonly ObjectLiteral[] = Array.isArray(entities)
    ? (entities as readonly ObjectLiteral[])
    : [entities];
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((column) =>
    rows.some((row) => row[column.propertyName] !== undefined),
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
    sql: `INSERT IGNORE INTO \`${metadata.tableName}\` (${columns
      .map((column) => `\`${column.databaseName}\``)
      .join(', ')}) VALUES ${values.join(', ')}`,
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
