import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1796640074539 implements MigrationInterface {
  name = 'Alerts1796640074539';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `alerts` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `condition` varchar(32) NOT NULL, `subject` varchar(128) NOT NULL, `active_key` varchar(191) NULL, `state` varchar(16) NOT NULL, `title` varchar(255) NOT NULL, `detail` varchar(1000) NOT NULL, `link` varchar(255) NOT NULL, `raised_at` datetime(3) NOT NULL, `resolved_at` datetime(3) NULL, `read_at` datetime(3) NULL, `telegram_raised` varchar(8) NOT NULL, `telegram_resolved` varchar(8) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_alerts_active` (`workspace_id`, `active_key`), INDEX `ix_alerts_workspace_raised` (`workspace_id`, `raised_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `alert_settings` (`workspace_id` char(36) NOT NULL, `conditions` longtext NOT NULL, `telegram_token` text NULL, `telegram_chat_id` varchar(64) NULL, `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (`workspace_id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `alert_settings`');
    await queryRunner.query('DROP INDEX `ix_alerts_workspace_raised` ON `alerts`');
    await queryRunner.query('DROP INDEX `uq_alerts_active` ON `alerts`');
    await queryRunner.query('DROP TABLE `alerts`');
  }
}
