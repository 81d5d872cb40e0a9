import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LptrackerLinks1796635014884 implements MigrationInterface {
  name = 'LptrackerLinks1796635014884';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `lptracker_links` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `project_id` bigint NOT NULL, `lptracker_lead_id` bigint NOT NULL, `lptracker_contact_id` bigint NULL, `amocrm_lead_id` bigint NOT NULL, `amocrm_contact_id` bigint NULL, `lead_id` char(36) NULL, `contact_id` char(36) NULL, `lptracker_stage_id` bigint NULL, `amocrm_pipeline_id` bigint NULL, `amocrm_status_id` bigint NULL, `created_as` varchar(16) NOT NULL DEFAULT 'lead', `last_seen` longtext NULL, `last_direction` varchar(32) NULL, `last_synced_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX `ix_lptracker_links_project` (`workspace_id`, `project_id`, `updated_at`), UNIQUE INDEX `uq_lptracker_links_amo_lead` (`workspace_id`, `amocrm_lead_id`), UNIQUE INDEX `uq_lptracker_links_lp_lead` (`workspace_id`, `lptracker_lead_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `uq_lptracker_links_lp_lead` ON `lptracker_links`');
    await queryRunner.query('DROP INDEX `uq_lptracker_links_amo_lead` ON `lptracker_links`');
    await queryRunner.query('DROP INDEX `ix_lptracker_links_project` ON `lptracker_links`');
    await queryRunner.query('DROP TABLE `lptracker_links`');
  }
}
