import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AlertReads1796647429648 implements MigrationInterface {
  name = 'AlertReads1796647429648';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `alert_reads` (`alert_id` char(36) NOT NULL, `user_id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `read_at` datetime(3) NOT NULL, INDEX `ix_alert_reads_user` (`workspace_id`, `user_id`), PRIMARY KEY (`alert_id`, `user_id`)) ENGINE=InnoDB',
    );
    await queryRunner.query('ALTER TABLE `alerts` DROP COLUMN `read_at`');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `alerts` ADD `read_at` datetime(3) NULL');
    await queryRunner.query('DROP INDEX `ix_alert_reads_user` ON `alert_reads`');
    await queryRunner.query('DROP TABLE `alert_reads`');
  }
}
