import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ListSortIndexes1796648772907 implements MigrationInterface {
  name = 'ListSortIndexes1796648772907';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX `idx_audit_workspace_actor` ON `audit_log` (`workspace_id`, `actor_label`)',
    );
    await queryRunner.query('CREATE INDEX `idx_leads_workspace_price` ON `leads` (`workspace_id`, `price`)');
    await queryRunner.query(
      'CREATE INDEX `ix_lptracker_links_synced` ON `lptracker_links` (`workspace_id`, `last_synced_at`)',
    );
    await queryRunner.query(
      'CREATE INDEX `ix_lptracker_links_created` ON `lptracker_links` (`workspace_id`, `created_at`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `ix_lptracker_links_created` ON `lptracker_links`');
    await queryRunner.query('DROP INDEX `ix_lptracker_links_synced` ON `lptracker_links`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_price` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_audit_workspace_actor` ON `audit_log`');
  }
}
