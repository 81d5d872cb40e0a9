import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import { callAmo, type AmoCallResult, type LooseJson } from './sandbox-test-kit';

describe('amoCRM sandbox: contacts', () => {
  let sandbox: AmoSandbox;
  let baseUrl: string;
  let token: string;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    const account = sandbox.createAccount({ subdomain: 'crm', seed: true });
    baseUrl = account.baseUrl;
    token = account.longLivedToken;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const api = (method: string, path: string, body?: unknown): Promise<AmoCallResult> =>
    callAmo(baseUrl, method, path, { token, body });

  it('pages with absolute _links.next until an empty page answers 204 with no body', async () => {
    const seen: number[] = [];
    let next: string | undefined = `${baseUrl}/api/v4/contacts?limit=10`;
    let pages = 0;
    while (next) {
      const response = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
      if (response.status === 204) {
        expect(await response.text()).toBe('');
        break;
      }
      const body = (await response.json()) as {
        _page: number;
        _links: { self: { href: string }; next?: { href: string } };
        _embedded: { contacts: { id: number }[] };
      };
      pages += 1;
      expect(body._page).toBe(pages);
      expect(body._links.self.href.startsWith(`${baseUrl}/api/v4/contacts?`)).toBe(true);
      seen.push(...body._embedded.contacts.map((contact) => contact.id));
      next = body._links.next?.href;
    }
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(pages).toBe(4);

    const beyond = await api('GET', '/api/v4/contacts?page=9&limit=10');
    expect(beyond.status).toBe(204);
    expect(beyond.text).toBe('');
    expect((await api('GET', '/api/v4/contacts?limit=251')).status).toBe(400);
  });

  it('searches broadly: a ten-digit query also finds a longer number containing it', async () => {
    const stored = await api('POST', '/api/v4/contacts', [
      {
        name: 'Формат 8',
        custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '89161234567' }] }],
      },
      {
        name: 'Формат со скобками',
        custom_fields_values: [
          { field_code: 'PHONE', values: [{ value: '+7 (916) 123-45-67', enum_code: 'MOB' }] },
        ],
      },
    ]);
    expect(stored.status).toBe(200);
    const found = await api('GET', '/api/v4/contacts?query=9161234567&limit=250');
    expect(found.status).toBe(200);
    const phones = found.json._embedded.contacts.flatMap((contact: LooseJson) =>
      contact.custom_fields_values
        .filter((field: LooseJson) => field.field_code === 'PHONE')
        .map((field: LooseJson) => field.values[0].value),
    );
    expect(phones).toEqual(
      expect.arrayContaining(['+79161234567', '89161234567', '+7 (916) 123-45-67', '+791612345678']),
    );
    expect((await api('GET', '/api/v4/contacts?query=Тихонов')).json._embedded.contacts).toHaveLength(1);
    expect((await api('GET', '/api/v4/contacts?query=0000000000')).status).toBe(204);
  });

  it('creates contacts answering request_id per item and defaulting it to the index', async () => {
    const created = await api('POST', '/api/v4/contacts', [
      { name: 'Первый', request_id: 'row-17' },
      { first_name: 'Пётр', last_name: 'Второй' },
    ]);
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/hal+json');
    const [first, second] = created.json._embedded.contacts;
    // as amoCRM: a create answers no updated_at (the echo guard relies on it)
    expect(first).toEqual({
      id: expect.any(Number),
      request_id: 'row-17',
      _links: { self: { href: expect.any(String) } },
    });
    expect(first._links.self.href).toBe(`${baseUrl}/api/v4/contacts/${first.id}`);
    expect(second.request_id).toBe('1');

    const stored = await api('GET', `/api/v4/contacts/${second.id}`);
    expect(stored.json).toMatchObject({
      id: second.id,
      name: 'Пётр Второй',
      first_name: 'Пётр',
      last_name: 'Второй',
      is_deleted: false,
      custom_fields_values: null,
      created_by: sandbox.account('crm').currentUserId,
      responsible_user_id: sandbox.account('crm').currentUserId,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect((await api('GET', '/api/v4/contacts/1')).status).toBe(404);
  });

  it('rejects invalid custom field values with validation-errors pointing into the request', async () => {
    const fields = sandbox.account('crm').contactFields();
    const source = fields.find((field) => field.type === 'select');
    const rejected = await api('POST', '/api/v4/contacts', [
      { name: 'OK' },
      {
        request_id: 'bad',
        name: 'Плохой',
        custom_fields_values: [
          { field_code: 'PHONE', values: [{ value: '+79990000000' }] },
          { field_id: source?.id, values: [{ value: 'Нет такого' }] },
          { field_id: 1, values: [{ value: 'x' }] },
          { field_code: 'PHONE', values: [{ value: '+79990000001', enum_code: 'CAR' }] },
        ],
      },
      { name: 'x'.repeat(256) },
    ]);
    expect(rejected.status).toBe(400);
    expect(rejected.headers.get('content-type')).toBe('application/problem+json');
    expect(rejected.json).toEqual({
      'validation-errors': [
        {
          request_id: 'bad',
          errors: [
            {
              code: 'NotSupportedChoice',
              path: 'custom_fields_values.1.values.0.value',
              detail: expect.any(String),
            },
            { code: 'FieldMissing', path: 'custom_fields_values.2.field_id', detail: expect.any(String) },
            {
              code: 'NotSupportedChoice',
              path: 'custom_fields_values.3.values.0.enum_code',
              detail: expect.any(String),
            },
          ],
        },
        { request_id: '2', errors: [{ code: 'MaxLength', path: 'name', detail: expect.any(String) }] },
      ],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    });
    expect((await api('GET', '/api/v4/contacts?filter[name]=OK')).status).toBe(204);

    expect((await api('POST', '/api/v4/contacts', { name: 'not an array' })).status).toBe(400);
    expect((await api('POST', '/api/v4/contacts', [])).status).toBe(400);
    expect(
      (
        await api(
          'POST',
          '/api/v4/contacts',
          Array.from({ length: 251 }, () => ({ name: 'n' })),
        )
      ).status,
    ).toBe(400);
    const huge = await api('POST', '/api/v4/contacts', [{ name: 'x'.repeat(1024 * 1024) }]);
    expect(huge.status).toBe(413);
    expect(huge.json.status).toBe(413);
  });

  it('replaces a field’s whole value set on PATCH and keeps other fields', async () => {
    const created = await api('POST', '/api/v4/contacts', [
      {
        name: 'Два телефона',
        custom_fields_values: [
          {
            field_code: 'PHONE',
            values: [
              { value: '+70000000001', enum_code: 'WORK' },
              { value: '+70000000002', enum_code: 'MOB' },
            ],
          },
          { field_code: 'EMAIL', values: [{ value: 'two@example.ru', enum_code: 'PRIV' }] },
        ],
        _embedded: { tags: [{ name: 'старый' }] },
      },
    ]);
    const id = created.json._embedded.contacts[0].id;
    const patched = await api('PATCH', `/api/v4/contacts/${id}`, {
      custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+70000000003' }] }],
      _embedded: { tags: [{ name: 'новый' }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, updated_at: expect.any(Number) });
    const stored = (await api('GET', `/api/v4/contacts/${id}`)).json;
    const phone = stored.custom_fields_values.find((field: LooseJson) => field.field_code === 'PHONE');
    expect(phone.values).toEqual([{ value: '+70000000003', enum_id: expect.any(Number), enum_code: 'WORK' }]);
    expect(phone.field_type).toBe('multitext');
    expect(phone.field_name).toBe('Телефон');
    const email = stored.custom_fields_values.find((field: LooseJson) => field.field_code === 'EMAIL');
    expect(email.values[0]).toMatchObject({ value: 'two@example.ru', enum_code: 'PRIV' });
    expect(stored._embedded.tags.map((tag: LooseJson) => tag.name)).toEqual(['новый']);

    const batch = await api('PATCH', '/api/v4/contacts', [
      { id, name: 'Переименован', request_id: 'r1' },
      { id: 5, name: 'x' },
    ]);
    expect(batch.status).toBe(400);
    expect(batch.json['validation-errors']).toEqual([
      { request_id: '1', errors: [{ code: 'NotFound', path: 'id', detail: expect.any(String) }] },
    ]);
    const ok = await api('PATCH', '/api/v4/contacts', [{ id, name: 'Переименован', request_id: 'r1' }]);
    expect(ok.json._embedded.contacts[0]).toEqual({
      id,
      name: 'Переименован',
      updated_at: expect.any(Number),
      request_id: 'r1',
      _links: { self: { href: expect.stringMatching(new RegExp(`/api/v4/contacts/${id}$`)) } },
    });
    expect((await api('GET', `/api/v4/contacts/${id}`)).json.name).toBe('Переименован');
  });

  it('filters by ids, name and updated_at, orders, and embeds leads on request', async () => {
    const all = (await api('GET', '/api/v4/contacts?limit=250&order[id]=desc')).json._embedded.contacts;
    const ids = all.map((contact: LooseJson) => contact.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));

    const [a, b] = ids.slice(-2);
    const byArray = await api('GET', `/api/v4/contacts?filter[id][]=${a}&filter[id][]=${b}`);
    expect(byArray.json._embedded.contacts.map((contact: LooseJson) => contact.id).sort()).toEqual(
      [a, b].sort(),
    );
    const byComma = await api('GET', `/api/v4/contacts?filter[id]=${a},${b}`);
    expect(byComma.json._embedded.contacts).toHaveLength(2);

    const byName = await api(
      'GET',
      `/api/v4/contacts?filter[name]=${encodeURIComponent('Иван Петров')}&with=leads`,
    );
    expect(byName.json._embedded.contacts).toHaveLength(1);
    expect(byName.json._embedded.contacts[0]._embedded.leads.length).toBeGreaterThan(0);
    expect(byName.json._embedded.contacts[0]._embedded.leads[0]).toEqual({
      id: expect.any(Number),
      _links: { self: { href: expect.stringContaining('/api/v4/leads/') } },
    });

    const recent = Math.floor(Date.now() / 1000) - 60;
    const updated = await api('GET', `/api/v4/contacts?filter[updated_at][from]=${recent}&limit=250`);
    const old = await api('GET', `/api/v4/contacts?filter[updated_at][to]=${recent}&limit=250`);
    expect(updated.json._embedded.contacts.length + old.json._embedded.contacts.length).toBe(ids.length);
    expect(updated.json._embedded.contacts.every((contact: LooseJson) => contact.updated_at >= recent)).toBe(
      true,
    );
  });
});
