import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AmocrmInbound1795322659680 implements MigrationInterface {
  name = 'AmocrmInbound1795322659680';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `amocrm_entity_versions` (`workspace_id` char(36) NOT NULL, `entity_type` varchar(16) NOT NULL, `amocrm_id` bigint NOT NULL, `version` bigint NULL, `contacts_checked_at` datetime(3) NULL, `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (`workspace_id`, `entity_type`, `amocrm_id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `amocrm_reconcile_states` (`workspace_id` char(36) NOT NULL, `watermark` bigint NULL, `last_since` bigint NULL, `run_started_at` datetime(3) NULL, `run_finished_at` datetime(3) NULL, `last_success_at` datetime(3) NULL, `last_error` varchar(1000) NULL, `contacts` longtext NULL, `leads` longtext NULL, `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (`workspace_id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `amocrm_reconcile_states`');
    await queryRunner.query('DROP TABLE `amocrm_entity_versions`');
  }
}
