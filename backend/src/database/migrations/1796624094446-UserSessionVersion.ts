import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSessionVersion1796624094446 implements MigrationInterface {
  name = 'UserSessionVersion1796624094446';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE `users` ADD `session_version` int NOT NULL DEFAULT '0'");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` DROP COLUMN `session_version`');
  }
}
