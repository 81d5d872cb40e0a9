import { FakeRedis } from '../../test/support/fake-redis';
import { normaliseAmocrmWebhook, parseAmocrmWebhookForm } from '../amocrm/webhooks';
import { EchoGuardService, type EchoEntity } from '../sync/echo-guard.service';
import { EchoReader } from './echo-reader';

const contactChange = (action: 'add' | 'update' | 'delete', id: number, name: string) =>
  normaliseAmocrmWebhook(
    parseAmocrmWebhookForm(
      new URLSearchParams([
        [`contacts[${action}][0][id]`, String(id)],
        [`contacts[${action}][0][name]`, name],
      ]).toString(),
    ),
  ).changes[0] as ReturnType<typeof normaliseAmocrmWebhook>['changes'][number] & { entity: EchoEntity };

describe('EchoReader: the echo checks of concurrent runs in one Redis round trip', () => {
  it('answers each run for its own changes, in order, asking only for creations and updates', async () => {
    const redis = new FakeRedis();
    const guard = new EchoGuardService(redis.asRedis());
    await guard.recordWrite('ws1', 'contact', 11, { fields: { name: 'Наша запись' } });
    await guard.recordWrite('ws2', 'contact', 11, { fields: { name: 'Другая' } });
    const reader = new EchoReader(guard);
    const before = redis.roundTrips;
    const answers = await Promise.all([
      reader.webhookChanges('ws1', [
        contactChange('update', 12, 'Наша запись'),
        contactChange('delete', 11, 'Наша запись'),
        contactChange('update', 11, 'Наша запись'),
      ]),
      reader.webhookChanges('ws2', [contactChange('add', 11, 'Наша запись')]),
      reader.areEchoes('ws2', [
        { entity: 'contact', amocrmId: 11, observed: { fields: { name: 'Другая' } } },
      ]),
      reader.webhookChanges('ws1', []),
    ]);
    expect(answers).toEqual([[false, false, true], [false], [true], []]);
    expect(redis.roundTrips - before).toBe(1);
  });

  it('gives a failed read to every run that asked', async () => {
    const guard = { areEchoes: () => Promise.reject(new Error('redis gone')) } as unknown as EchoGuardService;
    const reader = new EchoReader(guard);
    const question = { entity: 'lead' as const, amocrmId: 1, observed: { fields: {} } };
    const settled = await Promise.allSettled([
      reader.areEchoes('ws1', [question]),
      reader.areEchoes('ws2', [question]),
    ]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
