import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LptrackerMappings1796635426532 implements MigrationInterface {
  name = 'LptrackerMappings1796635426532';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `lptracker_mappings` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `project_id` bigint NOT NULL, `direction` varchar(32) NOT NULL, `version` int NOT NULL, `document` longtext NOT NULL, `settings_version` int NOT NULL, `origin` varchar(32) NOT NULL, `created_by` varchar(255) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX `ix_lptracker_mappings_settings` (`workspace_id`, `project_id`, `direction`, `settings_version`), UNIQUE INDEX `uq_lptracker_mappings_version` (`workspace_id`, `project_id`, `direction`, `version`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_lptracker_mappings_version` ON `lptracker_mappings`');
    await queryRunner.query('DROP INDEX `ix_lptracker_mappings_settings` ON `lptracker_mappings`');
    await queryRunner.query('DROP TABLE `lptracker_mappings`');
  }
}
