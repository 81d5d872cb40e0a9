import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Imports1796635676749 implements MigrationInterface {
  name = 'Imports1796635676749';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `imports` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `uploaded_by_kind` varchar(16) NOT NULL, `uploaded_by_id` char(36) NOT NULL, `uploaded_by` varchar(255) NOT NULL, `file_name` varchar(255) NOT NULL, `size_bytes` bigint NOT NULL, `format` varchar(8) NOT NULL, `status` varchar(16) NOT NULL, `sheets` longtext NOT NULL, `sheet` varchar(255) NOT NULL, `header_row` int NOT NULL, `columns` longtext NOT NULL, `sample_rows` longtext NOT NULL, `csv_options` longtext NULL, `mapping` longtext NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX `idx_imports_workspace_created` (`workspace_id`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `import_file_chunks` (`import_id` char(36) NOT NULL, `seq` int NOT NULL, `workspace_id` char(36) NOT NULL, `data` longblob NOT NULL, PRIMARY KEY (`import_id`, `seq`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `import_templates` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `name` varchar(100) NOT NULL, `mapping` longtext NOT NULL, `created_by` varchar(255) NOT NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_import_templates_name` (`workspace_id`, `name`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_import_templates_name` ON `import_templates`');
    await queryRunner.query('DROP TABLE `import_templates`');
    await queryRunner.query('DROP TABLE `import_file_chunks`');
    await queryRunner.query('DROP INDEX `idx_imports_workspace_created` ON `imports`');
    await queryRunner.query('DROP TABLE `imports`');
  }
}
