import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LptrackerLinksContactIndex1796660110126 implements MigrationInterface {
  name = 'LptrackerLinksContactIndex1796660110126';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX `ix_lptracker_links_contact` ON `lptracker_links` (`workspace_id`, `contact_id`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `ix_lptracker_links_contact` ON `lptracker_links`');
  }
}
