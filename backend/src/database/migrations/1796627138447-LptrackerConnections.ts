import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LptrackerConnections1796627138447 implements MigrationInterface {
  name = 'LptrackerConnections1796627138447';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `lptracker_connections` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `login` varchar(255) NOT NULL, `password` text NULL, `token` text NULL, `token_version` int NOT NULL DEFAULT '0', `token_issued_at` datetime(3) NULL, `status` varchar(20) NOT NULL DEFAULT 'not_connected', `last_error` varchar(1000) NULL, `last_ok_at` datetime(3) NULL, `connected_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_lptracker_connections_workspace` (`workspace_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'CREATE TABLE `lptracker_projects` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `project_id` bigint NOT NULL, `name` varchar(255) NOT NULL, `enabled` tinyint NOT NULL DEFAULT 0, `enabled_at` datetime(3) NULL, `disabled_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_lptracker_projects_workspace_project` (`workspace_id`, `project_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `lptracker_metadata` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `project_id` bigint NOT NULL, `fetched_at` datetime(3) NOT NULL, `snapshot` longtext NOT NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX `uq_lptracker_metadata_workspace_project` (`workspace_id`, `project_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_lptracker_metadata_workspace_project` ON `lptracker_metadata`');
    await queryRunner.query('DROP TABLE `lptracker_metadata`');
    await queryRunner.query('DROP INDEX `uq_lptracker_projects_workspace_project` ON `lptracker_projects`');
    await queryRunner.query('DROP TABLE `lptracker_projects`');
    await queryRunner.query('DROP INDEX `uq_lptracker_connections_workspace` ON `lptracker_connections`');
    await queryRunner.query('DROP TABLE `lptracker_connections`');
  }
}
