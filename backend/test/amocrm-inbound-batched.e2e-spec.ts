import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import type { MirrorCommitItem } from '../src/amocrm-inbound/mirror-batch';
import { MirrorWriterService } from '../src/amocrm-inbound/mirror-writer.service';
import { InboxEventsRepository } from '../src/inbox/inbox-events.repository';
import {
  amoForm,
  mirrorContact,
  mirrorLead,
  postHook,
  publishedAbout,
  settle,
  startInboundWorld,
  type InboundWorld,
} from './support/amocrm-inbound';

/**
 * Moves of leads the mirror has, with their contacts, committed together (`MirrorBatch`): one statement per table
 * for all of them, and still per entity what the event-by-event commit does — the newer version wins, the
 * contact's phones in step, the domain events decided from the row before.
 */
describe('amoCRM webhooks about entities the mirror has, committed together', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    world = await startInboundWorld(sandbox, 'batched');
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('updates them with shared writes, drops older changes, keeps phones and events, falls back safely', async () => {
    const { amo } = world;
    const pipeline = amo.pipelines()[0];
    const [first, second] = pipeline.statuses.filter(
      (status) => status.type === 0 && status.id !== 142 && status.id !== 143,
    );
    const phoneField = amo.contactFields().find((field) => field.code === 'PHONE')!;
    /** A move of the lead to `stage` with its contact (name and phone by `round`), as amoCRM sends it. */
    const move = (leadId: number, contactId: number, round: number, stage: number, version: number) =>
      amoForm(amo, [
        ['leads[status][0][id]', leadId],
        ['leads[status][0][name]', `Заявка ${leadId}`],
        ['leads[status][0][status_id]', stage],
        ['leads[status][0][old_status_id]', stage === first.id ? second.id : first.id],
        ['leads[status][0][pipeline_id]', pipeline.id],
        ['leads[status][0][responsible_user_id]', amo.managerUserId],
        ['leads[status][0][last_modified]', version],
        ['contacts[update][0][id]', contactId],
        ['contacts[update][0][name]', `Клиент ${contactId}, ${round}`],
        ['contacts[update][0][responsible_user_id]', amo.managerUserId],
        ['contacts[update][0][last_modified]', version],
        ['contacts[update][0][custom_fields][0][id]', phoneField.id],
        ['contacts[update][0][custom_fields][0][code]', 'PHONE'],
        ['contacts[update][0][custom_fields][0][values][0][value]', phoneOf(contactId, round)],
        ['contacts[update][0][custom_fields][0][values][0][enum]', phoneField.enums![0].id],
        [`contacts[update][0][linked_leads_id][${leadId}][ID]`, leadId],
      ]);
    const pairs = Array.from({ length: 30 }, (_, index) => [95000000 + index, 96000000 + index] as const);
    const round = async (number: number, stage: number, version: number, moved = pairs): Promise<void> => {
      const answers = await Promise.all(
        moved.map(([lead, contact]) => postHook(world.hookUrl, move(lead, contact, number, stage, version))),
      );
      expect(answers.map((answer) => answer.status)).toEqual(moved.map(() => 200));
      await settle(world);
    };
    await round(1, first.id, now); // the mirror has them all now

    const group = world.t.app.get(MirrorWriterService).together;
    const original = group.apply.bind(group);
    const updatedTogether: MirrorCommitItem[] = [];
    const droppedTogether: MirrorCommitItem[] = [];
    let failOnce = true;
    /**
     * Runs before the next commit, shared or not (as if another commit had come first): at the start of its
     * transaction, so that no event of the round is committed before it.
     */
    let meanwhile: (() => Promise<void>) | null = null;
    const events = world.t.app.get(InboxEventsRepository);
    const lockHeld = events.lockHeldLeases.bind(events);
    let ranMeanwhile: Promise<void> = Promise.resolve(); // every commit waits for it
    const locking = jest.spyOn(events, 'lockHeldLeases').mockImplementation(async (manager, runs) => {
      if (meanwhile) ranMeanwhile = meanwhile();
      meanwhile = null;
      await ranMeanwhile;
      return lockHeld(manager, runs);
    });
    const shared = jest.spyOn(group, 'apply').mockImplementation(async (manager, items) => {
      await original(manager, items);
      if (failOnce) {
        // as if the shared writes had failed: the batch is rolled back and committed again event by event
        failOnce = false;
        throw new Error('a shared write failed');
      }
      const together = items.filter((item) => item.made?.manager === manager);
      updatedTogether.push(...together.filter((item) => item.made!.before.leads.size > 0));
      droppedTogether.push(...together.filter((item) => item.made!.stale.size > 0));
    });
    try {
      const since = world.published.length;
      // in two halves: the runs of a round move in step, so its events may all end in the one batch that fails
      await round(2, second.id, now + 10, pairs.slice(0, 15));
      expect(failOnce).toBe(false);
      await round(2, second.id, now + 10, pairs.slice(15));
      expect(updatedTogether.length).toBeGreaterThan(1); // rows of several events written by the shared writes
      for (const [leadId, contactId] of pairs) {
        const contact = await mirrorContact(world, contactId);
        expect(contact).toMatchObject({ name: `Клиент ${contactId}, 2`, phones: [phoneOf(contactId, 2)] });
        expect(await identitiesOf(contact.id)).toEqual([phoneOf(contactId, 2)]); // the old phone matches no more
        expect(await mirrorLead(world, leadId)).toMatchObject({ statusId: second.id, contactId: contact.id });
        expect(publishedAbout(world, leadId, since).map((event) => event.type)).toEqual([
          'lead.stage_changed',
        ]);
        expect(publishedAbout(world, contactId, since).map((event) => event.type)).toEqual([
          'contact.updated',
        ]);
      }

      // planned as newer, but a newer version was applied before the commit: dropped by the shared writes
      updatedTogether.length = 0;
      const staleSince = world.published.length;
      meanwhile = async () => {
        await world.db.rows(
          `UPDATE amocrm_entity_versions SET version = ?
            WHERE workspace_id = ? AND amocrm_id BETWEEN 95000000 AND 96000029`,
          [now + 30, world.workspaceId],
        );
      };
      await round(3, first.id, now + 20);
      expect(updatedTogether.length).toBe(0);
      expect(droppedTogether.length).toBeGreaterThan(1); // decided by the shared writes
      for (const [leadId, contactId] of pairs) {
        const contact = await mirrorContact(world, contactId);
        expect(contact).toMatchObject({ name: `Клиент ${contactId}, 2`, phones: [phoneOf(contactId, 2)] });
        expect(await identitiesOf(contact.id)).toEqual([phoneOf(contactId, 2)]);
        expect(await mirrorLead(world, leadId)).toMatchObject({ statusId: second.id });
      }
      expect(world.published.length).toBe(staleSince);
      const versions = await world.db.one<{ min: number; max: number }>(
        `SELECT MIN(version) AS min, MAX(version) AS max FROM amocrm_entity_versions
          WHERE workspace_id = ? AND amocrm_id BETWEEN 95000000 AND 96000029`,
        [world.workspaceId],
      );
      expect([Number(versions.min), Number(versions.max)]).toEqual([now + 30, now + 30]); // never lowered
    } finally {
      shared.mockRestore();
      locking.mockRestore();
    }
  });

  function phoneOf(contactId: number, round: number): string {
    return `+7916${round}${String(contactId).slice(-6)}`;
  }

  async function identitiesOf(contactId: string): Promise<string[]> {
    const rows = await world.db.rows<{ value: string }>(
      'SELECT value FROM contact_identities WHERE workspace_id = ? AND contact_id = ? ORDER BY value',
      [world.workspaceId, contactId],
    );
    return rows.map((row) => row.value);
  }
});
