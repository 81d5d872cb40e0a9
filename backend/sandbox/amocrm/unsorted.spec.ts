import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo, type AmoCallResult, type LooseJson } from './sandbox-test-kit';

describe('amoCRM sandbox: incoming leads (leads/unsorted)', () => {
  let sandbox: AmoSandbox;
  let baseUrl: string;
  let token: string;
  let pipeline: LooseJson;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    const account = sandbox.createAccount({ subdomain: 'inbox' });
    baseUrl = account.baseUrl;
    token = account.longLivedToken;
    pipeline = (await api('GET', '/api/v4/leads/pipelines')).json._embedded.pipelines[0];
  });

  afterAll(async () => {
    await sandbox.close();
  });

  function api(method: string, path: string, body?: unknown): Promise<AmoCallResult> {
    return callAmo(baseUrl, method, path, { token, body });
  }

  const form = (sourceUid: string, extra: LooseJson = {}): LooseJson => ({
    source_uid: sourceUid,
    source_name: 'LPTracker: сайт',
    pipeline_id: pipeline.id,
    metadata: {
      form_id: 'lp-1',
      form_name: 'Заявка',
      form_page: 'https://example.ru',
      form_sent_at: 1_700_000_000,
    },
    _embedded: {
      leads: [{ name: `Заявка ${sourceUid}`, price: 500 }],
      contacts: [
        {
          name: 'Ирина',
          custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79161234567' }] }],
        },
      ],
    },
    ...extra,
  });

  it('creates the lead with its contact in the incoming status, lists it, and accept keeps the lead id', async () => {
    const created = await api('POST', '/api/v4/leads/unsorted/forms', [
      form('a-1', { request_id: 'r1' }),
      form('a-2', { request_id: 'r2' }),
    ]);
    expect(created.status).toBe(200);
    const items = created.json._embedded.unsorted;
    expect(items.map((item: LooseJson) => item.request_id)).toEqual(['r1', 'r2']);
    const first = items[0];
    const leadId = first._embedded.leads[0].id;
    expect(first._embedded.contacts).toHaveLength(1);

    const incoming = pipeline._embedded.statuses.find((status: LooseJson) => status.type === 1);
    const lead = (await api('GET', `/api/v4/leads/${leadId}?with=contacts`)).json;
    expect(lead).toMatchObject({ status_id: incoming.id, pipeline_id: pipeline.id, price: 500 });
    expect(lead._embedded.contacts[0].id).toBe(first._embedded.contacts[0].id);

    const listed = (await api('GET', '/api/v4/leads/unsorted')).json._embedded.unsorted;
    expect(listed.map((item: LooseJson) => item.uid)).toEqual(items.map((item: LooseJson) => item.uid));
    expect(listed[0]).toMatchObject({
      source_uid: 'a-1',
      category: 'forms',
      metadata: { form_name: 'Заявка' },
    });

    const accepted = await api('POST', `/api/v4/leads/unsorted/${first.uid}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.json._embedded.leads[0].id).toBe(leadId);
    const after = (await api('GET', `/api/v4/leads/${leadId}`)).json;
    expect(after.status_id).not.toBe(incoming.id);
    expect(after.pipeline_id).toBe(pipeline.id);
    const still = (await api('GET', '/api/v4/leads/unsorted')).json._embedded.unsorted;
    expect(still.map((item: LooseJson) => item.uid)).toEqual([items[1].uid]);
    expect((await api('POST', `/api/v4/leads/unsorted/${first.uid}/accept`, {})).status).toBe(404);
  });

  it('accepts as a manager through the control API, into the status asked for', async () => {
    const created = await api('POST', '/api/v4/leads/unsorted/forms', [form('m-1')]);
    const { uid } = created.json._embedded.unsorted[0];
    const leadId = created.json._embedded.unsorted[0]._embedded.leads[0].id;
    const target = pipeline._embedded.statuses.find(
      (status: LooseJson) => status.type === 0 && ![142, 143].includes(status.id),
    );
    const control = await callAmo(
      sandbox.url,
      'POST',
      `/__sandbox/accounts/inbox/manager/unsorted/${uid}/accept`,
      {
        body: { status_id: target.id },
      },
    );
    expect(control.status).toBe(200);
    expect(control.json).toMatchObject({ id: leadId, status_id: target.id });
  });

  it('refuses a form without source, lead or with more than 50 items', async () => {
    expect((await api('POST', '/api/v4/leads/unsorted/forms', [form('x', { source_uid: '' })])).status).toBe(
      400,
    );
    expect(
      (await api('POST', '/api/v4/leads/unsorted/forms', [form('y', { _embedded: { leads: [] } })])).status,
    ).toBe(400);
    const many = Array.from({ length: 51 }, (_, index) => form(`n-${index}`));
    expect((await api('POST', '/api/v4/leads/unsorted/forms', many)).status).toBe(400);
  });
});
