import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { MAX_WEBHOOK_CHANGES } from '../src/amocrm-inbound/webhook-delivery';
import { call } from './support/http';
import {
  amoForm,
  eventDetail,
  mirrorContact,
  mirrorLead,
  postHook,
  publishedAbout,
  settle,
  startInboundWorld,
  type InboundWorld,
} from './support/amocrm-inbound';

/**
 * A webhook naming many entities without their fields (amoCRM's bulk shape): what the payload lacks is read from
 * amoCRM with `filter[id][]` in requests of 250, not one GET per entity; a delivery with more changes than one
 * webhook may carry is refused before anything is stored or read.
 */
describe('amoCRM webhooks naming many entities', () => {
  let sandbox: AmoSandbox;
  let world: InboundWorld;
  const inboxCount = () =>
    world.db.count('SELECT COUNT(*) FROM inbox_events WHERE workspace_id = ?', [world.workspaceId]);

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    // amoCRM sends nothing by itself here (nobody restores a lead): the test posts the bodies
    world = await startInboundWorld(sandbox, 'bulk', { events: ['restore_lead'] });
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  /** A lead with its own contact, made in amoCRM. */
  function leadWithContact(index: number): { leadId: number; contactId: number } {
    const contact = world.amo.manager.createContact({ name: `Клиент ${index}` });
    const lead = world.amo.manager.createLead({
      name: `Сделка ${index}`,
      price: index,
      _embedded: { contacts: [{ id: contact.id }] },
    });
    return { leadId: lead.id, contactId: contact.id };
  }

  /** GETs of the account since `since`, by kind: list reads by id (with the ids each named) and single reads. */
  function readsSince(since: number, entity: 'leads' | 'contacts'): { batches: number[]; singles: number } {
    const reads = world.amo.requests({ method: 'GET', since });
    const batches = reads
      .filter((request) => request.path.startsWith(`/api/v4/${entity}?`))
      .map((request) => new URLSearchParams(request.path.split('?')[1]).getAll('filter[id][]').length);
    const singles = reads.filter((request) =>
      new RegExp(`^/api/v4/${entity}/\\d+`).test(request.path),
    ).length;
    return { batches, singles };
  }

  it('mirrors 500 leads that lack their fields with two lead reads and two contact reads', async () => {
    // a lead mirrored before, then deleted in amoCRM while the next webhook is on its way
    const gone = leadWithContact(0);
    const first = await postHook(world.hookUrl, amoForm(world.amo, [['leads[add][0][id]', gone.leadId]]));
    expect(first.status).toBe(200);
    await settle(world);
    expect(await mirrorLead(world, gone.leadId)).toMatchObject({ name: 'Сделка 0', deletedAt: null });
    world.amo.manager.deleteLead(gone.leadId);

    const created = Array.from({ length: MAX_WEBHOOK_CHANGES - 1 }, (_, index) => leadWithContact(index + 1));
    const since = world.published.length;
    const requestsFrom = Date.now();
    const res = await postHook(
      world.hookUrl,
      amoForm(world.amo, [
        ...created.map(({ leadId }, index): [string, number] => [`leads[add][${index}][id]`, leadId]),
        ['leads[update][0][id]', gone.leadId],
      ]),
    );
    expect(res.status).toBe(200);
    await settle(world);

    const detail = await eventDetail(world, res.body.id);
    expect(detail.status).toBe('done');
    // ⌈500/250⌉ lead reads and ⌈499/250⌉ contact reads, not one GET per entity
    expect(readsSince(requestsFrom, 'leads')).toEqual({ batches: [250, 250], singles: 0 });
    expect(readsSince(requestsFrom, 'contacts')).toEqual({ batches: [250, 249], singles: 0 });
    expect(detail.history.at(-1).steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: `fetch ${MAX_WEBHOOK_CHANGES} leads`, ok: true }),
        expect.objectContaining({
          name: `fetch ${MAX_WEBHOOK_CHANGES - 1} contacts`,
          ok: true,
          detail: expect.objectContaining({ reason: 'a lead links to a contact the mirror does not have' }),
        }),
      ]),
    );

    const mirrored = await world.db.count(
      'SELECT COUNT(*) FROM leads WHERE workspace_id = ? AND deleted_at IS NULL AND contact_id IS NOT NULL',
      [world.workspaceId],
    );
    expect(mirrored).toBe(created.length);
    for (const index of [0, 249, 250, created.length - 1]) {
      const { leadId, contactId } = created[index];
      const contact = await mirrorContact(world, contactId);
      expect(contact).toMatchObject({ name: `Клиент ${index + 1}`, deletedAt: null });
      expect(await mirrorLead(world, leadId)).toMatchObject({
        name: `Сделка ${index + 1}`,
        price: index + 1,
        contactId: contact.id,
      });
    }
    // the lead amoCRM no longer answers is deleted in the mirror, as a 404 of a single read was handled
    expect((await mirrorLead(world, gone.leadId)).deletedAt).toEqual(expect.any(String));
    expect(publishedAbout(world, gone.leadId, since).map((event) => event.type)).toEqual(['lead.deleted']);
  });

  it('refuses a delivery with more entity changes than the cap: 413, nothing stored, nothing read', async () => {
    const before = await inboxCount();
    const requestsFrom = Date.now();
    const count = MAX_WEBHOOK_CHANGES + 1;
    const res = await postHook(
      world.hookUrl,
      amoForm(
        world.amo,
        Array.from({ length: count }, (_, index): [string, number] => [
          `leads[add][${index}][id]`,
          95_000_000 + index,
        ]),
      ),
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      type: expect.stringContaining('too-many-changes'),
      status: 413,
      detail: `the webhook has ${count} entity changes; at most ${MAX_WEBHOOK_CHANGES} are accepted in one delivery`,
    });
    expect(await inboxCount()).toBe(before);
    const rejections = await world.db.rows(
      'SELECT reason, detail FROM inbox_rejections WHERE workspace_id = ? AND source = ?',
      [world.workspaceId, 'amocrm'],
    );
    expect(rejections).toEqual([{ reason: 'too_many_changes', detail: res.body.detail }]);
    const stats = await call(`${world.t.url}/api/v1/events/stats`, { token: world.admin.token });
    expect(stats.body.rejectedLastHour).toBe(1);
    expect(world.amo.requests({ since: requestsFrom })).toEqual([]);
  });
});
