import type { EntityManager, EntityMetadata } from 'typeorm';
import { insertIgnoreStatement, upsertStatement } from './entity-rows';

const manager = {
  connection: {
    driver: { preparePersistentValue: (value: unknown) => (value instanceof Date ? 'date' : value) },
  },
} as unknown as EntityManager;
const metadata = {
  tableName: 'leads',
  columns: [
    { propertyName: 'id', databaseName: 'id' },
    { propertyName: 'name', databaseName: 'name' },
    { propertyName: 'statusId', databaseName: 'status_id' },
    { propertyName: 'tags', databaseName: 'tags' },
    { propertyName: 'createdAt', databaseName: 'created_at' },
  ],
} as unknown as EntityMetadata;

describe('entity rows in plain SQL', () => {
  it('upserts with one statement: the columns the rows have plus the updated ones, DEFAULT where a row has none', () => {
    const { sql, parameters } = upsertStatement(
      manager,
      metadata,
      [
        { id: 'a', name: 'Сделка', statusId: 5 },
        { id: 'b', name: 'Другая', createdAt: new Date(0) },
      ],
      ['name', 'status_id', 'tags'],
    );
    expect(sql).toBe(
      'INSERT INTO `leads` (`id`, `name`, `status_id`, `tags`, `created_at`) VALUES (?, ?, ?, DEFAULT, DEFAULT), ' +
        '(?, ?, DEFAULT, DEFAULT, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), ' +
        '`status_id` = VALUES(`status_id`), `tags` = VALUES(`tags`)',
    );
    expect(parameters).toEqual(['a', 'Сделка', 5, 'b', 'Другая', 'date']);
  });

  it('inserts ignoring duplicates with only the columns the rows have', () => {
    const { sql, parameters } = insertIgnoreStatement(manager, metadata, [{ id: 'a', tags: null }]);
    expect(sql).toBe('INSERT IGNORE INTO `leads` (`id`, `tags`) VALUES (?, ?)');
    expect(parameters).toEqual(['a', null]);
  });
});
