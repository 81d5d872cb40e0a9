import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactsAndLeads1795314650315 implements MigrationInterface {
  name = 'ContactsAndLeads1795314650315';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `contacts` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `amocrm_id` bigint NULL, `name` varchar(255) NOT NULL, `phone` varchar(20) NULL, `email` varchar(254) NULL, `phones` longtext NULL, `emails` longtext NULL, `responsible_user_id` bigint NULL, `custom_fields` longtext NULL, `source` varchar(64) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), `synced_at` datetime(3) NULL, `deleted_at` datetime(3) NULL, INDEX `idx_contacts_workspace_created` (`workspace_id`, `created_at`), INDEX `idx_contacts_workspace_name` (`workspace_id`, `name`), INDEX `idx_contacts_workspace_email` (`workspace_id`, `email`), INDEX `idx_contacts_workspace_phone` (`workspace_id`, `phone`), UNIQUE INDEX `uq_contacts_workspace_amocrm` (`workspace_id`, `amocrm_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `leads` (`id` char(36) NOT NULL, `workspace_id` char(36) NOT NULL, `amocrm_id` bigint NULL, `name` varchar(255) NOT NULL, `status_id` bigint NULL, `status` varchar(255) NULL, `pipeline_id` bigint NULL, `price` bigint NULL, `contact_id` char(36) NULL, `responsible_user_id` bigint NULL, `custom_fields` longtext NULL, `tags` longtext NULL, `source` varchar(64) NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), `synced_at` datetime(3) NULL, `closed_at` datetime(3) NULL, `deleted_at` datetime(3) NULL, INDEX `idx_leads_workspace_created` (`workspace_id`, `created_at`), INDEX `idx_leads_workspace_contact` (`workspace_id`, `contact_id`), INDEX `idx_leads_workspace_pipeline` (`workspace_id`, `pipeline_id`), INDEX `idx_leads_workspace_status` (`workspace_id`, `status_id`), INDEX `idx_leads_workspace_name` (`workspace_id`, `name`), UNIQUE INDEX `uq_leads_workspace_amocrm` (`workspace_id`, `amocrm_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'ALTER TABLE `leads` ADD CONSTRAINT `fk_leads_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `leads` DROP FOREIGN KEY `fk_leads_contact`');
    await queryRunner.query('DROP INDEX `uq_leads_workspace_amocrm` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_name` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_status` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_pipeline` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_contact` ON `leads`');
    await queryRunner.query('DROP INDEX `idx_leads_workspace_created` ON `leads`');
    await queryRunner.query('DROP TABLE `leads`');
    await queryRunner.query('DROP INDEX `uq_contacts_workspace_amocrm` ON `contacts`');
    await queryRunner.query('DROP INDEX `idx_contacts_workspace_phone` ON `contacts`');
    await queryRunner.query('DROP INDEX `idx_contacts_workspace_email` ON `contacts`');
    await queryRunner.query('DROP INDEX `idx_contacts_workspace_name` ON `contacts`');
    await queryRunner.query('DROP INDEX `idx_contacts_workspace_created` ON `contacts`');
    await queryRunner.query('DROP TABLE `contacts`');
  }
}
