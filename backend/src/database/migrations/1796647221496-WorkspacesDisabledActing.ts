import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkspacesDisabledActing1796647221496 implements MigrationInterface {
  name = 'WorkspacesDisabledActing1796647221496';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `refresh_tokens` ADD `acting_workspace_id` char(36) NULL');
    await queryRunner.query('ALTER TABLE `workspaces` ADD `disabled_at` datetime(3) NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `workspaces` DROP COLUMN `disabled_at`');
    await queryRunner.query('ALTER TABLE `refresh_tokens` DROP COLUMN `acting_workspace_id`');
  }
}
