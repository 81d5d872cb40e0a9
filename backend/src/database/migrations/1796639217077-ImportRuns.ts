import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportRuns1796639217077 implements MigrationInterface {
  name = 'ImportRuns1796639217077';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `import_rows` (`import_id` char(36) NOT NULL, `row_number` int NOT NULL, `workspace_id` char(36) NOT NULL, `status` varchar(16) NOT NULL, `cells` longtext NOT NULL, `duplicate_of` int NULL, `amocrm_contact_id` bigint NULL, `amocrm_lead_id` bigint NULL, `message` varchar(500) NULL, INDEX `idx_import_rows_status` (`import_id`, `status`, `row_number`), PRIMARY KEY (`import_id`, `row_number`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `import_runs` (`import_id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `started_at` datetime(3) NOT NULL, `finished_at` datetime(3) NULL, `total_rows` int NOT NULL DEFAULT '0', `staged` tinyint NOT NULL DEFAULT 0, `error` varchar(500) NULL, PRIMARY KEY (`import_id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `import_runs`');
    await queryRunner.query('DROP INDEX `idx_import_rows_status` ON `import_rows`');
    await queryRunner.query('DROP TABLE `import_rows`');
  }
}
