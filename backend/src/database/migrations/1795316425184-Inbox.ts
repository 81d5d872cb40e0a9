import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Inbox1795316425184 implements MigrationInterface {
  name = 'Inbox1795316425184';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `workspace_settings_versions` (`workspace_id` char(36) NOT NULL, `version` int NOT NULL DEFAULT '0', `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (`workspace_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `inbox_webhook_secrets` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `source` varchar(32) NOT NULL, `secret_hash` char(64) NOT NULL, `secret_sealed` varchar(255) NOT NULL, `events` longtext NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_inbox_webhook_secrets_hash` (`secret_hash`), UNIQUE INDEX `uq_inbox_webhook_secrets_ws_source` (`workspace_id`, `source`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `inbox_rejections` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `source` varchar(32) NOT NULL, `reason` varchar(32) NOT NULL, `detail` varchar(500) NOT NULL, `remote_ip` varchar(64) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX `idx_inbox_rejections_ws_time` (`workspace_id`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `inbox_keys` (`key_hash` char(64) NOT NULL, `workspace_id` char(36) NOT NULL, `event_id` char(36) NOT NULL, `entity_id` varchar(64) NOT NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX `idx_inbox_keys_entity` (`workspace_id`, `entity_id`), INDEX `idx_inbox_keys_event` (`event_id`), PRIMARY KEY (`key_hash`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      "CREATE TABLE `inbox_events` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `source` varchar(32) NOT NULL, `event_type` varchar(64) NOT NULL, `status` varchar(16) NOT NULL, `skip_reason` varchar(16) NULL, `content_type` varchar(100) NOT NULL, `headers` longtext NOT NULL, `raw_body` longblob NOT NULL, `summary` longtext NOT NULL, `change_keys` longtext NOT NULL, `idempotency` longtext NULL, `changes` longtext NULL, `settings_version` int NOT NULL, `applied_settings_version` int NULL, `mode` varchar(16) NOT NULL, `attempts` int NOT NULL DEFAULT '0', `retries` int NOT NULL DEFAULT '0', `generation` int NOT NULL DEFAULT '0', `next_attempt_at` datetime(3) NULL, `lease_token` char(36) NULL, `lease_until` datetime(3) NULL, `last_error` varchar(1000) NULL, `history` longtext NOT NULL, `processed_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX `idx_inbox_events_status_updated` (`status`, `updated_at`), INDEX `idx_inbox_events_ws_type` (`workspace_id`, `event_type`, `created_at`), INDEX `idx_inbox_events_ws_source` (`workspace_id`, `source`, `created_at`), INDEX `idx_inbox_events_ws_status` (`workspace_id`, `status`, `created_at`), INDEX `idx_inbox_events_ws_time` (`workspace_id`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `idx_inbox_events_ws_time` ON `inbox_events`');
    await queryRunner.query('DROP INDEX `idx_inbox_events_ws_status` ON `inbox_events`');
    await queryRunner.query('DROP INDEX `idx_inbox_events_ws_source` ON `inbox_events`');
    await queryRunner.query('DROP INDEX `idx_inbox_events_ws_type` ON `inbox_events`');
    await queryRunner.query('DROP INDEX `idx_inbox_events_status_updated` ON `inbox_events`');
    await queryRunner.query('DROP TABLE `inbox_events`');
    await queryRunner.query('DROP INDEX `idx_inbox_keys_event` ON `inbox_keys`');
    await queryRunner.query('DROP INDEX `idx_inbox_keys_entity` ON `inbox_keys`');
    await queryRunner.query('DROP TABLE `inbox_keys`');
    await queryRunner.query('DROP INDEX `idx_inbox_rejections_ws_time` ON `inbox_rejections`');
    await queryRunner.query('DROP TABLE `inbox_rejections`');
    await queryRunner.query('DROP INDEX `uq_inbox_webhook_secrets_ws_source` ON `inbox_webhook_secrets`');
    await queryRunner.query('DROP INDEX `uq_inbox_webhook_secrets_hash` ON `inbox_webhook_secrets`');
    await queryRunner.query('DROP TABLE `inbox_webhook_secrets`');
    await queryRunner.query('DROP TABLE `workspace_settings_versions`');
  }
}
