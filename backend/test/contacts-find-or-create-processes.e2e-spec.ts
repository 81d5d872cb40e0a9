import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { startAmocrmTestApp } from './support/amocrm';
import { loginAdmin } from './support/auth';
import { api, connectWorkspace, sandboxContactsWithPhone, type ConnectedWorkspace } from './support/contacts';
import type { TestApp } from './support/test-app';

describe('contacts API across two app processes sharing the database and Redis', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let ws: ConnectedWorkspace;
  let second: TestApp;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    ws = await connectWorkspace(t, await loginAdmin(t.url), sandbox);
    second = await startAmocrmTestApp(sandbox, {
      database: t.config.db,
      env: { REDIS_PREFIX: t.config.redisPrefix },
    });
  });

  afterAll(async () => {
    await second?.close();
    await t?.close();
    await sandbox?.close();
  });

  it('creates one amoCRM contact for 50 concurrent identical calls spread over both processes', async () => {
    ws.amo.clearRequests();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        api(index % 2 === 0 ? t : second, ws.managerKey, '/api/v1/contacts', {
          body: {
            name: 'Два процесса',
            phone: index % 3 === 0 ? '+7 916 777-00-01' : '89167770001',
            email: 'two@example.ru',
          },
        }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(answers.filter((res) => res.status === 200)).toHaveLength(49);
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(sandboxContactsWithPhone(ws.amo, '+79167770001')).toHaveLength(1);
    expect(ws.amo.requests({ method: 'POST', pathPrefix: '/api/v4/contacts' })).toHaveLength(1);
  });

  it('creates one lead for concurrent identical lead calls spread over both processes', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api(index % 2 === 0 ? t : second, ws.managerKey, '/api/v1/leads', {
          body: { name: 'Заявка', contact: { name: 'Лид', phone: '+79167770002' } },
        }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(new Set(answers.map((res) => res.body.contact.id)).size).toBe(1);
    expect(ws.amo.leads().filter((lead) => lead.name === 'Заявка')).toHaveLength(1);
    expect(sandboxContactsWithPhone(ws.amo, '+79167770002')).toHaveLength(1);
  });
});
