import type { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillContactIdentities } from '../../contacts/contact-identities-backfill';

/**
 * Every phone and e-mail of the contacts mirrored before `contact_identities` existed, in batches of 5,000
 * contacts by id range (non-locking reads, INSERT IGNORE in autocommit), outside a transaction: a 1,000,000-contact
 * mirror is filled without locking the contacts table, and a run stopped halfway is finished by running it again.
 */
export class ContactIdentitiesBackfill1796647487347 implements MigrationInterface {
  name = 'ContactIdentitiesBackfill1796647487347';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await backfillContactIdentities(queryRunner, 5000);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM contact_identities');
  }
}
