import type { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * Plain SQL for entity rows on hot paths, where TypeORM's query builder and hydration cost more CPU than the query
 * itself. Values go through the driver exactly as TypeORM would send and read them (column transformers, dates,
 * bigints), so rows written and read here are the same as through a repository.
 */

/** `INSERT IGNORE` of one entity: only the properties it has (the database fills its defaults). */
export function insertIgnoreStatement(
  manager: EntityManager,
  metadata: EntityMetadata,
  entity: ObjectLiteral,
): { sql: string; parameters: unknown[] } {
  const driver = manager.connection.driver;
  const columns = metadata.columns.filter((column) => entity[column.propertyName] !== undefined);
  return {
    sql: `INSERT IGNORE INTO \`${metadata.tableName}\` (${columns
      .map((column) => `\`${column.databaseName}\``)
      .join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    parameters: columns.map(
      (column) => driver.preparePersistentValue(entity[column.propertyName], column) as unknown,
    ),
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
