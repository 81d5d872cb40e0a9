import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo, type AmoCallResult, type LooseJson } from './sandbox-test-kit';

describe('amoCRM sandbox: leads and metadata', () => {
  let sandbox: AmoSandbox;
  let baseUrl: string;
  let token: string;
  let pipelines: LooseJson[];

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    const account = sandbox.createAccount({ subdomain: 'deals' });
    baseUrl = account.baseUrl;
    token = account.longLivedToken;
    pipelines = (await api('GET', '/api/v4/leads/pipelines')).json._embedded.pipelines;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  function api(method: string, path: string, body?: unknown): Promise<AmoCallResult> {
    return callAmo(baseUrl, method, path, { token, body });
  }

  it('describes the account, users, pipelines and custom fields', async () => {
    const account = (await api('GET', '/api/v4/account')).json;
    expect(account).toMatchObject({
      subdomain: 'deals',
      currency: 'RUB',
      country: 'RU',
      current_user_id: expect.any(Number),
    });

    const users = (await api('GET', '/api/v4/users')).json._embedded.users;
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(users.find((user: LooseJson) => user.id === account.current_user_id).rights.is_admin).toBe(true);
    expect(users.some((user: LooseJson) => user.rights.is_admin === false)).toBe(true);

    expect(pipelines).toHaveLength(2);
    for (const pipeline of pipelines) {
      const statuses = pipeline._embedded.statuses;
      expect(statuses.filter((status: LooseJson) => status.type === 1)).toHaveLength(1);
      expect(statuses.find((status: LooseJson) => status.id === 142).name).toBe('Успешно реализовано');
      expect(statuses.find((status: LooseJson) => status.id === 143).name).toBe('Закрыто и не реализовано');
      expect(statuses.every((status: LooseJson) => status.pipeline_id === pipeline.id)).toBe(true);
    }
    expect(pipelines.filter((pipeline: LooseJson) => pipeline.is_main)).toHaveLength(1);
    const one = await api('GET', `/api/v4/leads/pipelines/${pipelines[1].id}`);
    expect(one.json.name).toBe(pipelines[1].name);

    const contactFields = (await api('GET', '/api/v4/contacts/custom_fields')).json._embedded.custom_fields;
    const phone = contactFields.find((field: LooseJson) => field.code === 'PHONE');
    expect(phone.type).toBe('multitext');
    expect(phone.enums.map((option: LooseJson) => option.value)).toEqual([
      'WORK',
      'WORKDD',
      'MOB',
      'HOME',
      'OTHER',
    ]);
    expect(
      contactFields
        .find((field: LooseJson) => field.code === 'EMAIL')
        .enums.map((option: LooseJson) => option.value),
    ).toEqual(['WORK', 'PRIV', 'OTHER']);
    const leadFields = (await api('GET', '/api/v4/leads/custom_fields')).json._embedded.custom_fields;
    expect(leadFields.map((field: LooseJson) => field.type).sort()).toEqual(
      ['checkbox', 'date', 'multiselect', 'numeric', 'select', 'text'].sort(),
    );
  });

  it('puts a lead without status_id into the first stage after "incoming" of the main pipeline', async () => {
    const main = pipelines.find((pipeline: LooseJson) => pipeline.is_main);
    const firstStage = [...main._embedded.statuses]
      .sort((a: LooseJson, b: LooseJson) => a.sort - b.sort)
      .find((status: LooseJson) => status.type === 0);
    const created = await api('POST', '/api/v4/leads', [{ name: 'Без статуса', price: 1000 }]);
    expect(created.status).toBe(200);
    const lead = (await api('GET', `/api/v4/leads/${created.json._embedded.leads[0].id}`)).json;
    expect(lead).toMatchObject({
      pipeline_id: main.id,
      status_id: firstStage.id,
      price: 1000,
      closed_at: null,
    });

    const bad = await api('POST', '/api/v4/leads', [
      { name: 'x', status_id: 1 },
      { name: 'y', pipeline_id: 2, request_id: 'p' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.json['validation-errors']).toEqual([
      {
        request_id: '0',
        errors: [{ code: 'NotSupportedChoice', path: 'status_id', detail: expect.any(String) }],
      },
      {
        request_id: 'p',
        errors: [{ code: 'NotSupportedChoice', path: 'pipeline_id', detail: expect.any(String) }],
      },
    ]);
  });

  it('validates lead custom fields by type', async () => {
    const fields = sandbox.account('deals').leadFields();
    const numeric = fields.find((field) => field.type === 'numeric');
    const multiselect = fields.find((field) => field.type === 'multiselect');
    const date = fields.find((field) => field.type === 'date');
    const checkbox = fields.find((field) => field.type === 'checkbox');
    const bad = await api('POST', '/api/v4/leads', [
      {
        custom_fields_values: [
          { field_id: numeric?.id, values: [{ value: 'двенадцать' }] },
          { field_id: multiselect?.id, values: [{ enum_id: multiselect?.enums?.[0].id }, { enum_id: 42 }] },
        ],
      },
    ]);
    expect(bad.json['validation-errors'][0].errors).toEqual([
      { code: 'InvalidType', path: 'custom_fields_values.0.values.0.value', detail: expect.any(String) },
      {
        code: 'NotSupportedChoice',
        path: 'custom_fields_values.1.values.1.enum_id',
        detail: expect.any(String),
      },
    ]);
    const good = await api('POST', '/api/v4/leads', [
      {
        custom_fields_values: [
          { field_id: numeric?.id, values: [{ value: '12' }] },
          {
            field_id: multiselect?.id,
            values: [{ enum_id: multiselect?.enums?.[0].id }, { value: multiselect?.enums?.[1].value }],
          },
          { field_id: date?.id, values: [{ value: 1542067200 }] },
          { field_id: checkbox?.id, values: [{ value: true }] },
        ],
      },
    ]);
    expect(good.status).toBe(200);
    const lead = (await api('GET', `/api/v4/leads/${good.json._embedded.leads[0].id}`)).json;
    expect(lead.name).toBe(`Сделка #${lead.id}`);
    expect(lead.custom_fields_values.map((field: LooseJson) => field.values)).toEqual([
      [{ value: '12' }],
      [
        { value: multiselect?.enums?.[0].value, enum_id: multiselect?.enums?.[0].id, enum_code: null },
        { value: multiselect?.enums?.[1].value, enum_id: multiselect?.enums?.[1].id, enum_code: null },
      ],
      [{ value: 1542067200 }],
      [{ value: true }],
    ]);
  });

  it('creates lead + contact + company with leads/complex and links them', async () => {
    const complex = await api('POST', '/api/v4/leads/complex', [
      {
        name: 'Комплексная',
        price: 5000,
        request_id: 'form-1',
        _embedded: {
          contacts: [
            {
              first_name: 'Анна',
              custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79001112233' }] }],
            },
          ],
          companies: [{ name: 'ООО Ландыш' }],
        },
      },
      { name: 'Без контакта' },
    ]);
    expect(complex.status).toBe(200);
    expect(complex.json).toEqual([
      {
        id: expect.any(Number),
        contact_id: expect.any(Number),
        company_id: expect.any(Number),
        request_id: ['form-1'],
        merged: false,
      },
      { id: expect.any(Number), contact_id: null, company_id: null, request_id: ['1'], merged: false },
    ]);
    const [{ id, contact_id: contactId }] = complex.json;
    const lead = (await api('GET', `/api/v4/leads/${id}?with=contacts`)).json;
    expect(lead._embedded.contacts).toEqual([
      { id: contactId, is_main: true, _links: { self: { href: `${baseUrl}/api/v4/contacts/${contactId}` } } },
    ]);
    const contact = (await api('GET', `/api/v4/contacts/${contactId}?with=leads`)).json;
    expect(contact._embedded.leads.map((item: LooseJson) => item.id)).toEqual([id]);

    const tooMany = await api(
      'POST',
      '/api/v4/leads/complex',
      Array.from({ length: 51 }, () => ({ name: 'x' })),
    );
    expect(tooMany.status).toBe(400);
  });

  it('reads many leads by id in one request (filter[id][]), with their contacts, leaving out deleted ones', async () => {
    const contacts = await api('POST', '/api/v4/contacts', [{ name: 'Первый' }]);
    const contactId = contacts.json._embedded.contacts[0].id;
    const created = await api(
      'POST',
      '/api/v4/leads',
      Array.from({ length: 3 }, (_, index) => ({
        name: `По списку ${index}`,
        _embedded: { contacts: [{ id: contactId }] },
      })),
    );
    const [a, b, deleted] = created.json._embedded.leads.map((lead: LooseJson) => lead.id);
    sandbox.account('deals').manager.deleteLead(deleted);
    // 250 ids (amoCRM's page size) in one query string, most of them unknown
    const ids = [a, b, deleted, ...Array.from({ length: 247 }, (_, index) => 990_000_000 + index)];
    const query = ids.map((id) => `filter[id][]=${id}`).join('&');
    const read = await api('GET', `/api/v4/leads?${query}&limit=250&with=contacts`);
    expect(read.status).toBe(200);
    expect(
      read.json._embedded.leads.map((lead: LooseJson) => [lead.id, lead._embedded.contacts[0].id]),
    ).toEqual([
      [a, contactId],
      [b, contactId],
    ]);
    expect((await api('GET', `/api/v4/leads?filter[id][]=${deleted}&filter[id][]=990000000`)).status).toBe(
      204,
    );
  });

  it('links contacts to a lead and lists the links', async () => {
    const contacts = await api('POST', '/api/v4/contacts', [{ name: 'Один' }, { name: 'Два' }]);
    const [one, two] = contacts.json._embedded.contacts.map((contact: LooseJson) => contact.id);
    const lead = await api('POST', '/api/v4/leads', [
      { name: 'Со связями', _embedded: { contacts: [{ id: one }] } },
    ]);
    const leadId = lead.json._embedded.leads[0].id;

    const linked = await api('POST', `/api/v4/leads/${leadId}/link`, [
      { to_entity_id: two, to_entity_type: 'contacts', metadata: { main_contact: true } },
    ]);
    expect(linked.status).toBe(200);
    expect(linked.json._embedded.links).toEqual([
      {
        entity_id: leadId,
        entity_type: 'leads',
        to_entity_id: two,
        to_entity_type: 'contacts',
        metadata: { main_contact: true },
      },
    ]);
    const links = await api('GET', `/api/v4/leads/${leadId}/links`);
    expect(
      links.json._embedded.links.map((link: LooseJson) => [link.to_entity_id, link.metadata.main_contact]),
    ).toEqual([
      [one, false],
      [two, true],
    ]);
    const missing = await api('POST', `/api/v4/leads/${leadId}/link`, [
      { to_entity_id: 1, to_entity_type: 'contacts' },
    ]);
    expect(missing.status).toBe(400);
  });

  it('closes leads in 142/143 with closed_at, and filters by pipeline and statuses', async () => {
    const second = pipelines.find((pipeline: LooseJson) => !pipeline.is_main);
    const created = await api('POST', '/api/v4/leads', [
      { name: 'Во второй', pipeline_id: second.id },
      { name: 'Выиграна', status_id: 142 },
    ]);
    const [inSecond, won] = created.json._embedded.leads.map((lead: LooseJson) => lead.id);
    const wonLead = (await api('GET', `/api/v4/leads/${won}`)).json;
    expect(wonLead.status_id).toBe(142);
    expect(wonLead.closed_at).toEqual(expect.any(Number));

    const patched = await api('PATCH', '/api/v4/leads', [
      { id: inSecond, status_id: 143, request_id: 'lose' },
    ]);
    expect(patched.json._embedded.leads[0]).toEqual({
      id: inSecond,
      updated_at: expect.any(Number),
      request_id: 'lose',
      _links: { self: { href: expect.stringMatching(new RegExp(`/api/v4/leads/${inSecond}$`)) } },
    });
    const lost = (await api('GET', `/api/v4/leads/${inSecond}`)).json;
    expect(lost).toMatchObject({ status_id: 143, pipeline_id: second.id, closed_at: expect.any(Number) });

    const bySecond = await api('GET', `/api/v4/leads?filter[pipeline_id]=${second.id}`);
    expect(bySecond.json._embedded.leads.map((lead: LooseJson) => lead.id)).toEqual([inSecond]);
    const byStatus = await api(
      'GET',
      `/api/v4/leads?filter[statuses][0][pipeline_id]=${second.id}&filter[statuses][0][status_id]=143` +
        `&filter[statuses][1][pipeline_id]=${wonLead.pipeline_id}&filter[statuses][1][status_id]=142`,
    );
    expect(byStatus.json._embedded.leads.map((lead: LooseJson) => lead.id).sort()).toEqual(
      [inSecond, won].sort(),
    );
    const byQuery = await api('GET', `/api/v4/leads?query=${encodeURIComponent('Выиграна')}`);
    expect(byQuery.json._embedded.leads.map((lead: LooseJson) => lead.id)).toEqual([won]);
  });
});
