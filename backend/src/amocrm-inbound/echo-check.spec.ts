import { FakeRedis } from '../../test/support/fake-redis';
import { normaliseAmocrmWebhook, parseAmocrmWebhookForm } from '../amocrm/webhooks';
import { EchoGuardService } from '../sync/echo-guard.service';
import { echoCandidate, observedEntity, observedWebhookChange } from './echo-check';

function webhookChange(pairs: [string, string][]) {
  return normaliseAmocrmWebhook(parseAmocrmWebhookForm(new URLSearchParams(pairs).toString())).changes[0];
}

describe('echo decision: is this change our own write coming back?', () => {
  const now = Math.floor(Date.now() / 1000);
  let guard: EchoGuardService;

  beforeEach(async () => {
    guard = new EchoGuardService(new FakeRedis().asRedis());
    // what ContactsService records after creating a contact (POST: amoCRM gives no updated_at)
    await guard.recordWrite('ws', 'contact', 3000001, {
      fields: { name: 'Иван Петров', 'cf:970001': ['+79161234567'] },
    });
  });

  const addWebhook = (name: string, phone: string, lastModified: number) =>
    webhookChange([
      ['contacts[add][0][id]', '3000001'],
      ['contacts[add][0][name]', name],
      ['contacts[add][0][last_modified]', String(lastModified)],
      ['contacts[add][0][custom_fields][0][id]', '970001'],
      ['contacts[add][0][custom_fields][0][code]', 'PHONE'],
      ['contacts[add][0][custom_fields][0][values][0][value]', phone],
      ['contacts[add][0][custom_fields][0][values][0][enum]', '5001'],
    ]);

  it('recognises the webhook of our write: every field we wrote has our value, at our time', async () => {
    const observed = observedWebhookChange(addWebhook('Иван Петров', '+79161234567', now));
    expect(observed.updatedAt).toBe(now);
    await expect(guard.isEcho('ws', 'contact', 3000001, observed)).resolves.toBe(true);
  });

  it('does not take a manager’s later change, or another value, for an echo', async () => {
    const renamed = observedWebhookChange(addWebhook('Иван П.', '+79161234567', now));
    await expect(guard.isEcho('ws', 'contact', 3000001, renamed)).resolves.toBe(false);
    const later = observedWebhookChange(addWebhook('Иван Петров', '+79161234567', now + 600));
    await expect(guard.isEcho('ws', 'contact', 3000001, later)).resolves.toBe(false);
    await expect(
      guard.isEcho(
        'ws',
        'contact',
        3000002,
        observedWebhookChange(addWebhook('Иван Петров', '+79161234567', now)),
      ),
    ).resolves.toBe(false);
  });

  it('observes an entity read from the API (reconciliation) the same way', async () => {
    const observed = observedEntity({
      id: 3000001,
      name: 'Иван Петров',
      responsible_user_id: 8100001,
      created_at: now,
      updated_at: now,
      custom_fields_values: [
        { field_id: 970001, field_code: 'PHONE', values: [{ value: '+79161234567', enum_code: 'WORK' }] },
      ],
      _embedded: { tags: [] },
    });
    await expect(guard.isEcho('ws', 'contact', 3000001, observed)).resolves.toBe(true);
  });

  it('never asks about deletions and restores (the integration does neither)', () => {
    expect(echoCandidate('delete')).toBe(false);
    expect(echoCandidate('restore')).toBe(false);
    expect(echoCandidate('update')).toBe(true);
  });
});
