import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactIdentities1796647487346 implements MigrationInterface {
  name = 'ContactIdentities1796647487346';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `contact_identities` (`workspace_id` char(36) NOT NULL, `kind` varchar(8) NOT NULL, `value` varchar(254) NOT NULL, `contact_id` char(36) NOT NULL, PRIMARY KEY (`workspace_id`, `kind`, `value`, `contact_id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `contact_identities`');
  }
}
