import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LptrackerReconcileStates1796629667398 implements MigrationInterface {
  name = 'LptrackerReconcileStates1796629667398';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `lptracker_reconcile_states` (`workspace_id` char(36) NOT NULL, `watermark` bigint NULL, `last_since` bigint NULL, `run_started_at` datetime(3) NULL, `run_finished_at` datetime(3) NULL, `last_success_at` datetime(3) NULL, `last_error` varchar(1000) NULL, `counts` longtext NULL, `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (`workspace_id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `lptracker_reconcile_states`');
  }
}
