import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CallResults1796647411166 implements MigrationInterface {
  name = 'CallResults1796647411166';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `call_results` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `phone` varchar(32) NULL, `contact_id` char(36) NULL, `amocrm_contact_id` bigint NULL, `lead_id` char(36) NULL, `amocrm_lead_id` bigint NULL, `lptracker_lead_id` bigint NULL, `started_at` datetime(3) NOT NULL, `duration_seconds` int NOT NULL, `direction` varchar(8) NOT NULL, `result` varchar(16) NOT NULL, `recording_url` varchar(1024) NULL, `operator` varchar(128) NULL, `source` varchar(16) NOT NULL, `source_id` varchar(128) NULL, `natural_key` char(64) NULL, `origin_ref` varchar(64) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX `ix_call_results_contact` (`workspace_id`, `contact_id`, `started_at`), INDEX `ix_call_results_phone` (`workspace_id`, `phone`, `started_at`), INDEX `ix_call_results_started` (`workspace_id`, `started_at`), UNIQUE INDEX `uq_call_results_natural` (`workspace_id`, `natural_key`), UNIQUE INDEX `uq_call_results_source` (`workspace_id`, `source`, `source_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_call_results_source` ON `call_results`');
    await queryRunner.query('DROP INDEX `uq_call_results_natural` ON `call_results`');
    await queryRunner.query('DROP INDEX `ix_call_results_started` ON `call_results`');
    await queryRunner.query('DROP INDEX `ix_call_results_phone` ON `call_results`');
    await queryRunner.query('DROP INDEX `ix_call_results_contact` ON `call_results`');
    await queryRunner.query('DROP TABLE `call_results`');
  }
}
