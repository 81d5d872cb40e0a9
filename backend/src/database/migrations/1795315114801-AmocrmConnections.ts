import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AmocrmConnections1795315114801 implements MigrationInterface {
  name = 'AmocrmConnections1795315114801';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `amocrm_connections` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `subdomain` varchar(63) NOT NULL, `base_url` varchar(255) NOT NULL, `auth_kind` varchar(16) NOT NULL, `source` varchar(16) NOT NULL DEFAULT 'manual', `client_id` varchar(128) NULL, `client_secret` text NULL, `redirect_uri` varchar(512) NULL, `access_token` text NULL, `refresh_token` text NULL, `token_expires_at` datetime(3) NULL, `token_version` int NOT NULL DEFAULT '0', `tokens_refreshed_at` datetime(3) NULL, `account_id` bigint NULL, `account_name` varchar(255) NULL, `status` varchar(20) NOT NULL DEFAULT 'not_connected', `paused_reason` varchar(32) NULL, `last_error` varchar(1000) NULL, `connected_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_amocrm_connections_workspace` (`workspace_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `amocrm_metadata` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `account_id` bigint NOT NULL, `fetched_at` datetime(3) NOT NULL, `snapshot` longtext NOT NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_amocrm_metadata_workspace` (`workspace_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_amocrm_metadata_workspace` ON `amocrm_metadata`');
    await queryRunner.query('DROP TABLE `amocrm_metadata`');
    await queryRunner.query('DROP INDEX `uq_amocrm_connections_workspace` ON `amocrm_connections`');
    await queryRunner.query('DROP TABLE `amocrm_connections`');
  }
}
