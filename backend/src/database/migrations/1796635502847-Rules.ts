import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Rules1796635502847 implements MigrationInterface {
  name = 'Rules1796635502847';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `rules` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `name` varchar(200) NOT NULL, `enabled` tinyint NOT NULL DEFAULT 1, `priority` int NOT NULL, `version` int NOT NULL, `document` longtext NOT NULL, `updated_by` varchar(255) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX `ix_rules_order` (`workspace_id`, `priority`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `rule_versions` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `rule_id` char(36) NOT NULL, `version` int NOT NULL, `document` longtext NULL, `settings_version` int NOT NULL, `origin` varchar(64) NOT NULL, `created_by` varchar(255) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX `ix_rule_versions_settings` (`workspace_id`, `settings_version`), UNIQUE INDEX `uq_rule_versions_rule_version` (`rule_id`, `version`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_rule_versions_rule_version` ON `rule_versions`');
    await queryRunner.query('DROP INDEX `ix_rule_versions_settings` ON `rule_versions`');
    await queryRunner.query('DROP TABLE `rule_versions`');
    await queryRunner.query('DROP INDEX `ix_rules_order` ON `rules`');
    await queryRunner.query('DROP TABLE `rules`');
  }
}
