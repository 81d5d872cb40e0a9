import { LptrackerApiError } from '../lptracker.problems';
import { LptrackerAccountApi } from './lptracker-account-api';
import type { LptrackerRequest } from './lptracker-client';

const leadAnswer = {
  id: 501,
  contact_id: '77',
  project_id: 10,
  name: 'Заявка',
  stage_id: 3,
  owner_id: null,
  custom: [
    { id: 5, name: 'Тариф', type: 'text', value: 'VIP' },
    { id: '6', name: 'Теги', type: 'cats', value: ['a', 'b'] },
  ],
};

function api(answers: unknown[]) {
  const sent: LptrackerRequest[] = [];
  const client = new LptrackerAccountApi((request) => {
    sent.push(request);
    return Promise.resolve(answers.shift());
  });
  return { client, sent };
}

describe('LptrackerAccountApi: leads and contacts', () => {
  it('reads a lead: ids as digits, stage, custom values by id', async () => {
    const { client, sent } = api([leadAnswer]);
    const lead = await client.getLead(501);
    expect(sent).toEqual([{ method: 'GET', path: '/lead/501' }]);
    expect(lead).toMatchObject({
      id: 501,
      projectId: 10,
      contactId: 77,
      stageId: 3,
      ownerId: null,
      name: 'Заявка',
    });
    expect([...lead.custom]).toEqual([
      [5, 'VIP'],
      [6, ['a', 'b']],
    ]);
  });

  it('changes the stage with PUT /lead/{id}/funnel {funnel}', async () => {
    const { client, sent } = api([{ ...leadAnswer, stage_id: 9 }]);
    expect((await client.changeStage(501, 9)).stageId).toBe(9);
    expect(sent).toEqual([{ method: 'PUT', path: '/lead/501/funnel', body: { funnel: 9 } }]);
  });

  it('updates name, owner and custom with PUT /lead/{id}, one custom with PUT /lead/{id}/custom/{field}', async () => {
    const { client, sent } = api([leadAnswer, { id: 5, value: 'X' }]);
    await client.updateLead(501, { name: 'Новое', owner: 4, custom: { '5': 'VIP' } });
    await client.setCustom(501, 5, 'X');
    expect(sent).toEqual([
      { method: 'PUT', path: '/lead/501', body: { name: 'Новое', owner: 4, custom: { '5': 'VIP' } } },
      { method: 'PUT', path: '/lead/501/custom/5', body: { value: 'X' } },
    ]);
  });

  it('adds a comment', async () => {
    const { client, sent } = api([{ id: 1, text: 'Звонок' }]);
    await client.addComment(501, 'Звонок');
    expect(sent).toEqual([{ method: 'POST', path: '/lead/501/comment', body: { text: 'Звонок' } }]);
  });

  it('creates a lead with callback false unless explicitly asked', async () => {
    const { client, sent } = api([leadAnswer, leadAnswer]);
    await client.createLead({ contact_id: 77, name: 'Заявка' });
    await client.createLead({ contact_id: 77 }, { callback: true });
    expect(sent.map((request) => request.body)).toEqual([
      { contact_id: 77, name: 'Заявка', callback: false },
      { contact_id: 77, callback: true },
    ]);
  });

  it('a lead answer without an id is an error, not a guess', async () => {
    const { client } = api([{ status: 'ok' }]);
    await expect(client.getLead(1)).rejects.toBeInstanceOf(LptrackerApiError);
  });

  it('searches contacts by phone or e-mail of a project (bare array or envelope list)', async () => {
    const contact = {
      id: '77',
      project_id: 10,
      name: 'Ирина',
      details: [{ id: 1, type: 'phone', data: '+79161234567' }],
    };
    const { client, sent } = api([[contact], { contacts: [contact] }]);
    const found = await client.searchContact(10, { phone: '+79161234567' });
    expect(found).toEqual([
      { id: 77, projectId: 10, name: 'Ирина', details: [{ type: 'phone', data: '+79161234567' }] },
    ]);
    expect(await client.searchContact(10, { email: 'a@b.ru' })).toHaveLength(1);
    expect(sent.map((request) => request.query)).toEqual([
      { project_id: 10, phone: '+79161234567' },
      { project_id: 10, email: 'a@b.ru' },
    ]);
    await expect(client.searchContact(10, {})).rejects.toThrow('phone or an e-mail');
  });
});
