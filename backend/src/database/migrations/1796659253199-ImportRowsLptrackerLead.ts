import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportRowsLptrackerLead1796659253199 implements MigrationInterface {
  name = 'ImportRowsLptrackerLead1796659253199';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `import_rows` ADD `lptracker_lead_id` bigint NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `import_rows` DROP COLUMN `lptracker_lead_id`');
  }
}
