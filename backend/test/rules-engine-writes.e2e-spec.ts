import { startAmoSandbox, type AmoSandbox } from '../sandbox/amocrm';
import { appQuery, startAmocrmTestApp } from './support/amocrm';
import { loginAdmin, type LoggedIn } from './support/auth';
import { api, connectWorkspace, type ConnectedWorkspace } from './support/contacts';
import { call } from './support/http';
import { finished, runAction, uploadMapped, waitForProgress } from './support/import-runs';
import { waitFor } from './support/inbox';
import type { TestApp } from './support/test-app';
import { WebhookSecretsService } from '../src/inbox/webhook-secrets.service';

/**
 * Rules on the engine's own writes (issue #13 §1 sources `api` and `import`; #14 "imported rows go through the same
 * rules"), end to end with real MariaDB, Redis and the amoCRM sandbox: a write of the client REST API or an import
 * row is recorded as an inbox event of that source, the worker runs the enabled rules of that source on the lead as
 * the mirror holds it, their actions land in amoCRM, and the event's trace and changes name the rules. Rules of
 * another source never run on them; rows an import made are mirrored with source `import`.
 */
describe('Rules run on API writes and imported rows', () => {
  let sandbox: AmoSandbox;
  let t: TestApp;
  let admin: LoggedIn;
  let ws: ConnectedWorkspace;
  /** The lead of the first test no rule acted on (its price under 100,000). */
  let small: { id: string; amocrmId: number };

  const rule = async (body: Record<string, unknown>): Promise<{ id: string; version: number }> => {
    const res = await call(`${t.url}/api/v1/rules`, { token: admin.token, body: { enabled: true, ...body } });
    if (res.status !== 201) throw new Error(`rule not saved: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const disable = (id: string) =>
    call(`${t.url}/api/v1/rules/${id}/disable`, { method: 'POST', token: admin.token });
  /** The events of a source once none of them is waiting or running. */
  const settled = (source: string, count: number): Promise<any[]> =>
    waitFor(
      async () => {
        const rows: any[] = await appQuery(
          t,
          'SELECT id, status, skip_reason AS skipReason, event_type AS eventType, summary, changes, last_error AS lastError FROM inbox_events WHERE workspace_id = ? AND source = ? ORDER BY id',
          [admin.user.workspaceId, source],
        );
        const done = rows.every((row) => !['received', 'queued', 'processing'].includes(row.status));
        return rows.length >= count && done ? rows : undefined;
      },
      30_000,
      `${count} ${source} events finished`,
    );
  const tagsOf = (amocrmId: number): string[] => {
    const lead = ws.amo.leads().find((candidate) => candidate.id === amocrmId);
    return ((lead as any)?._embedded?.tags ?? []).map((tag: { name: string }) => tag.name);
  };

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    t = await startAmocrmTestApp(sandbox);
    admin = await loginAdmin(t.url);
    ws = await connectWorkspace(t, admin, sandbox);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('POST /api/v1/leads: the api rule on lead.created tags a lead over 100,000; a LPTracker rule does not run; the trace names the rule', async () => {
    const big = await rule({
      name: 'Крупные из API',
      priority: 10,
      trigger: { source: 'api', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lead.price', op: 'gt', value: 100_000 }] },
      actions: [{ type: 'add_tags', tags: ['VIP'] }],
    });
    const lptracker = await rule({
      name: 'Только LPTracker',
      priority: 20,
      trigger: { source: 'lptracker', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lead.price', op: 'gt', value: 0 }] },
      actions: [{ type: 'add_tags', tags: ['lptracker'] }],
    });

    const made = await api(t, ws.managerKey, '/api/v1/leads', {
      body: { name: 'Окна оптом', price: 150_000, contact: { name: 'Анна', phone: '+7 916 100-00-01' } },
    });
    expect(made.status).toBe(201);
    const second = await api(t, ws.managerKey, '/api/v1/leads', {
      body: { name: 'Одно окно', price: 5_000, contact: { name: 'Борис', phone: '+7 916 100-00-02' } },
    });
    expect(second.status).toBe(201);
    small = second.body;

    const events = await settled('api', 2);
    const about = (amocrmId: number) =>
      events.find((event) => JSON.parse(event.summary).id === String(amocrmId));
    const bigEvent = about(made.body.amocrmId);
    expect(bigEvent).toMatchObject({ status: 'done', eventType: 'lead.created', lastError: null });
    expect(JSON.parse(bigEvent.summary).events).toEqual(['lead.created', 'contact.created']);
    expect(tagsOf(made.body.amocrmId)).toEqual(['VIP']);
    const [change] = JSON.parse(bigEvent.changes);
    expect(change.rules.map((r: any) => [r.ruleId, r.version, r.outcome])).toEqual([
      [big.id, big.version, 'matched'],
    ]);
    expect(change.rules[0].actions.map((a: any) => [a.type, a.outcome])).toEqual([['add_tags', 'done']]);
    const detail = (await call(`${t.url}/api/v1/events/${bigEvent.id}`, { token: admin.token })).body;
    const steps = detail.history.at(-1).steps;
    const explained = steps.find((step: { name: string }) => step.name === 'rules: explained');
    expect(JSON.stringify(explained)).toContain('Крупные из API');

    const smallEvent = about(small.amocrmId);
    expect(smallEvent).toMatchObject({ status: 'skipped', skipReason: 'filtered' });
    expect(tagsOf(small.amocrmId)).toEqual([]);
    expect(JSON.parse(smallEvent.changes)[0].rules).toEqual([
      expect.objectContaining({ ruleId: big.id, outcome: 'conditions' }),
    ]);
    const [row] = await appQuery(t, 'SELECT source FROM leads WHERE id = ?', [made.body.id]);
    expect(row.source).toBe('api');

    // a lead found again is no write: no new event
    const again = await api(t, ws.managerKey, '/api/v1/leads', {
      body: { name: 'Окна оптом', contact: { name: 'Анна', phone: '+7 916 100-00-01' } },
    });
    expect([again.status, again.body.created]).toEqual([200, false]);
    expect(await settled('api', 2)).toHaveLength(2);
    await disable(big.id);
    await disable(lptracker.id);
  });

  it("PATCH and a missed call: lead.updated with the old price, call.finished with the linked lead; the rules' own writes make no event", async () => {
    const grown = await rule({
      name: 'Вырос бюджет',
      priority: 10,
      trigger: { source: 'api', events: ['lead.updated'], changedFields: ['lead.price'] },
      conditions: {
        all: [
          { field: 'old.lead.price', op: 'lt', value: 10_000 },
          { field: 'lead.price', op: 'gte', value: 10_000 },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['Вырос'] }],
    });
    const missed = await rule({
      name: 'Не дозвонились',
      priority: 20,
      trigger: { source: 'api', events: ['call.finished'], changedFields: [] },
      conditions: { all: [{ field: 'call.result', op: 'eq', value: 'missed' }] },
      actions: [{ type: 'add_tags', tags: ['Перезвонить'] }],
    });
    const patched = await api(t, ws.managerKey, `/api/v1/leads/${small.id}`, {
      method: 'PATCH',
      body: { price: 20_000 },
    });
    expect(patched.status).toBe(200);
    const calls = await call(`${t.url}/api/v1/call-results`, {
      token: admin.token,
      body: {
        rows: [
          {
            phone: '+7 916 100-00-02',
            startedAt: '2026-12-01T10:00:00Z',
            durationSeconds: 0,
            direction: 'out',
            result: 'missed',
            operator: 'Анна',
          },
        ],
      },
    });
    expect(calls.body).toMatchObject({ created: 1 });

    const events = await settled('api', 4);
    const [updated, finished] = events.slice(2);
    expect(updated).toMatchObject({ status: 'done', eventType: 'lead.updated' });
    const [change] = JSON.parse(updated.changes);
    expect(change.changedFields).toEqual(['lead.price']);
    const outcomes = (rules: any[]) => rules.map((r) => [r.ruleId, r.outcome]);
    expect(outcomes(change.rules)).toEqual([
      [grown.id, 'matched'],
      [missed.id, 'trigger'],
    ]);
    expect(finished).toMatchObject({ status: 'done', eventType: 'call.finished' });
    expect(outcomes(JSON.parse(finished.changes)[0].rules)).toEqual([
      [grown.id, 'trigger'],
      [missed.id, 'matched'],
    ]);
    expect(tagsOf(small.amocrmId).sort()).toEqual(['Вырос', 'Перезвонить']);
    expect(await settled('api', 4)).toHaveLength(4);
    await disable(grown.id);
    await disable(missed.id);
  });

  it('an imported row runs the import rules (not the api ones); its mirror rows say source import', async () => {
    const imported = await rule({
      name: 'Из файла',
      priority: 10,
      trigger: { source: 'import', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lead.name', op: 'contains', value: 'Импорт' }] },
      actions: [{ type: 'add_tags', tags: ['Из файла'] }],
    });
    const apiRule = await rule({
      name: 'Только API',
      priority: 20,
      trigger: { source: 'api', events: ['lead.created'], changedFields: [] },
      conditions: { all: [{ field: 'lead.name', op: 'not_empty' }] },
      actions: [{ type: 'add_tags', tags: ['api'] }],
    });
    const csv = [
      'Сделка;Имя;Телефон;Бюджет',
      'Импорт окна;Вера;+79162000001;300',
      'Двери;Глеб;+79162000002;100',
    ];
    const id = await uploadMapped(t.url, admin.token, csv.join('\n'), {
      kind: 'leads',
      columns: { Сделка: 'lead.name', Имя: 'contact.name', Телефон: 'contact.phone', Бюджет: 'lead.price' },
      dedupe: 'create',
    });
    expect((await runAction(t.url, admin.token, id, 'start')).status).toBe(200);
    expect(await waitForProgress(t.url, admin.token, id, finished)).toMatchObject({
      status: 'done',
      created: 2,
    });

    const events = await settled('import', 2);
    const leads: any[] = await appQuery(
      t,
      'SELECT l.name, l.amocrm_id AS amocrmId, l.source, c.source AS contactSource FROM leads l JOIN contacts c ON c.id = l.contact_id WHERE l.workspace_id = ? AND l.name IN (?, ?) ORDER BY l.name',
      [admin.user.workspaceId, 'Импорт окна', 'Двери'],
    );
    expect(leads.map((lead) => [lead.name, lead.source, lead.contactSource])).toEqual([
      ['Двери', 'import', 'import'],
      ['Импорт окна', 'import', 'import'],
    ]);
    const windows = leads.find((lead) => lead.name === 'Импорт окна');
    const doors = leads.find((lead) => lead.name === 'Двери');
    expect(tagsOf(Number(windows.amocrmId))).toEqual(['Из файла']);
    expect(tagsOf(Number(doors.amocrmId))).toEqual([]);
    expect(events.map((event) => [event.status, event.eventType])).toEqual(
      expect.arrayContaining([
        ['done', 'lead.created'],
        ['skipped', 'lead.created'],
      ]),
    );
    const done = events.find((event) => event.status === 'done');
    expect(JSON.parse(done.changes)[0].rules.map((r: any) => [r.ruleId, r.outcome])).toEqual([
      [imported.id, 'matched'],
    ]);
    expect(await settled('api', 4)).toHaveLength(4);
    await disable(imported.id);
    await disable(apiRule.id);
  });

  it('the addresses of the api and import sources refuse what the engine never writes: 400 problem+json, nothing stored', async () => {
    const secrets = t.app.get(WebhookSecretsService);
    const { secret } = await secrets.secretFor(admin.user.workspaceId, 'api');
    const hook = (body: unknown, source = 'api') => call(`${t.url}/webhooks/${source}/${secret}`, { body });
    const good = {
      origin: 'api',
      entity: 'lead',
      id: small.id,
      amocrmId: String(small.amocrmId),
      events: ['lead.created'],
      changedFields: [],
      old: null,
      occurredAt: '2026-12-07T10:00:00.000Z',
      watched: true,
    };
    const before = await appQuery(t, 'SELECT COUNT(*) AS n FROM inbox_events');
    for (const body of [
      { ...good, origin: 'import' },
      { ...good, events: ['lead.deleted'] },
      { ...good, id: 42 },
      { ...good, changedFields: 'lead.price' },
      { ...good, old: { 'lead.price': { nested: { deep: true } } } },
      JSON.parse('{"__proto__": {"polluted": true}, "origin": "api"}'),
      [good],
    ]) {
      const res = await hook(body);
      expect([res.status, res.headers.get('content-type')]).toEqual([
        400,
        expect.stringMatching(/problem\+json/),
      ]);
    }
    expect((await hook(good, 'import')).status).toBe(404);
    expect(await appQuery(t, 'SELECT COUNT(*) AS n FROM inbox_events')).toEqual(before);
  });

  it('with no enabled rule of the source, a write is listed as skipped and never run by the worker', async () => {
    const made = await api(t, ws.managerKey, '/api/v1/contacts', {
      body: { name: 'Без правил', phone: '+7 916 300-00-01' },
    });
    expect(made.status).toBe(201);
    const [event] = (await settled('api', 5)).slice(4);
    expect(event).toMatchObject({ status: 'skipped', skipReason: 'filtered', eventType: 'contact.created' });
    expect(JSON.parse(event.summary)).toMatchObject({ id: String(made.body.amocrmId) });
    const [row] = await appQuery(t, 'SELECT attempts, history FROM inbox_events WHERE id = ?', [event.id]);
    expect([row.attempts, JSON.parse(row.history)]).toEqual([0, []]);
  });
});
