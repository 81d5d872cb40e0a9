import { newId } from '../src/database/columns';
import { InboxEventsRepository } from '../src/inbox/inbox-events.repository';
import { loginAdmin, type LoggedIn } from './support/auth';
import { INBOX_TEST_ENV, startInboxTestApp } from './support/inbox';
import { type TestApp } from './support/test-app';

/** The worker's claim of stored events (plain SQL, hydrated through the entity metadata). */
describe('inbox claim', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startInboxTestApp({ env: INBOX_TEST_ENV });
    admin = await loginAdmin(t.url);
  });
  afterAll(async () => {
    await t.close();
  });

  it('claims only the events it takes: one whose lease another run holds is left out, the taken ones whole', async () => {
    const events = t.app.get(InboxEventsRepository);
    const delivery = (id: string) => ({
      id,
      workspaceId: admin.user.workspaceId,
      source: 'test-json',
      eventType: 'lead.update',
      contentType: 'application/json',
      headers: { 'x-test': 'claim' },
      rawBody: Buffer.from(`{"claim":"${id}"}`),
      summary: { claim: id },
      keys: [{ key: `claim:${id}`, entityType: 'lead', entityId: id }],
    });
    const [held, free] = [newId(), newId()];
    // stored without a job: only these claims take them (the sweeper waits INBOX_SWEEP_AFTER first)
    await events.insertDeliveries([delivery(held), delivery(free)]);
    expect((await events.claim([held], 'token-a', 60_000)).map((row) => row.id)).toEqual([held]);
    const claimed = await events.claim([held, free], 'token-b', 60_000);
    expect(claimed.map((row) => row.id)).toEqual([free]);
    expect(claimed[0]).toMatchObject({
      leaseToken: 'token-b',
      status: 'processing',
      attempts: 1,
      headers: { 'x-test': 'claim' },
      summary: { claim: free },
      changeKeys: [{ key: `claim:${free}`, entityType: 'lead', entityId: free }],
      idempotency: null,
    });
    expect(claimed[0].rawBody.toString()).toBe(`{"claim":"${free}"}`);
    expect(claimed[0].createdAt).toBeInstanceOf(Date);
    for (const [id, token] of [
      [held, 'token-a'],
      [free, 'token-b'],
    ])
      await events.fail(id, token, { retries: 0, error: 'claim test', history: [], idempotency: null });
  });
});
