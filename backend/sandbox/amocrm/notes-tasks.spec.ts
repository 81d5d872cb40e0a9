import { startAmoSandbox, type AmoSandbox } from './amo-sandbox';
import type { AmoAccountHandle } from './account-handle';
import { callAmo, type AmoCallResult, type LooseJson } from './sandbox-test-kit';

describe('amoCRM sandbox: notes and tasks', () => {
  let sandbox: AmoSandbox;
  let account: AmoAccountHandle;
  let leadId: number;

  beforeAll(async () => {
    sandbox = await startAmoSandbox({ rps: 1000 });
    sandbox.createAccount({ subdomain: 'notes' });
    account = sandbox.account('notes');
    const created = await api('POST', '/api/v4/leads', [{ name: 'Сделка с заметкой' }]);
    leadId = created.json._embedded.leads[0].id;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  function api(method: string, path: string, body?: unknown): Promise<AmoCallResult> {
    return callAmo(account.baseUrl, method, path, { token: account.credentials.longLivedToken, body });
  }

  it('adds common notes to a lead (both routes) and lists them; 204 when none, 404 for an unknown lead', async () => {
    expect((await api('GET', `/api/v4/leads/${leadId}/notes`)).status).toBe(204);
    const byPath = await api('POST', `/api/v4/leads/${leadId}/notes`, [
      { note_type: 'common', params: { text: 'Первая' } },
    ]);
    expect(byPath.status).toBe(200);
    expect(byPath.json._embedded.notes).toEqual([
      expect.objectContaining({ id: expect.any(Number), entity_id: leadId, request_id: '0' }),
    ]);
    const batch = await api('POST', '/api/v4/leads/notes', [
      { entity_id: leadId, note_type: 'common', params: { text: 'Вторая' }, request_id: 'n2' },
    ]);
    expect(batch.status).toBe(200);
    expect(batch.json._embedded.notes[0]).toMatchObject({ entity_id: leadId, request_id: 'n2' });

    const listed = await api('GET', `/api/v4/leads/${leadId}/notes`);
    expect(listed.status).toBe(200);
    expect(
      listed.json._embedded.notes.map((note: LooseJson) => [
        note.entity_id,
        note.note_type,
        note.params.text,
      ]),
    ).toEqual([
      [leadId, 'common', 'Первая'],
      [leadId, 'common', 'Вторая'],
    ]);
    expect(account.notes('leads', leadId)).toHaveLength(2);
    expect((await api('GET', '/api/v4/leads/999999999/notes')).status).toBe(404);
  });

  it('refuses bad notes with validation-errors and stores none of the batch', async () => {
    const bad = await api('POST', '/api/v4/leads/notes', [
      { entity_id: leadId, note_type: 'common', params: { text: 'ok' } },
      { entity_id: 999999999, note_type: 'nope', params: {} },
    ]);
    expect(bad.status).toBe(400);
    const [entry] = bad.json['validation-errors'];
    expect(entry.request_id).toBe('1');
    expect(entry.errors.map((error: LooseJson) => error.path).sort()).toEqual(
      ['entity_id', 'note_type', 'params.text'].sort(),
    );
    expect(account.notes('leads', leadId)).toHaveLength(2);
    expect((await api('POST', '/api/v4/leads/notes', { entity_id: leadId })).status).toBe(400);
  });

  it('creates tasks on a lead and lists them by entity; an unknown responsible user is refused (400)', async () => {
    const [, manager] = account.users();
    const due = Math.floor(Date.now() / 1000) + 3600;
    const created = await api('POST', '/api/v4/tasks', [
      {
        text: 'Перезвонить',
        complete_till: due,
        entity_id: leadId,
        entity_type: 'leads',
        responsible_user_id: manager.id,
      },
    ]);
    expect(created.status).toBe(200);
    const taskId = created.json._embedded.tasks[0].id;
    expect(created.json._embedded.tasks[0]).toMatchObject({ id: expect.any(Number), request_id: '0' });

    const listed = await api('GET', `/api/v4/tasks?filter[entity_type]=leads&filter[entity_id][]=${leadId}`);
    expect(listed.status).toBe(200);
    expect(listed.json._embedded.tasks).toEqual([
      expect.objectContaining({
        id: taskId,
        text: 'Перезвонить',
        complete_till: due,
        entity_id: leadId,
        entity_type: 'leads',
        responsible_user_id: manager.id,
        is_completed: false,
        task_type_id: 1,
      }),
    ]);
    expect((await api('GET', '/api/v4/tasks?filter[entity_id][]=1')).status).toBe(204);

    const unknownUser = await api('POST', '/api/v4/tasks', [
      {
        text: 'Никому',
        complete_till: due,
        entity_id: leadId,
        entity_type: 'leads',
        responsible_user_id: 42,
      },
    ]);
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.json['validation-errors'][0].errors).toEqual([
      expect.objectContaining({ code: 'NotSupportedChoice', path: 'responsible_user_id' }),
    ]);
    const noText = await api('POST', '/api/v4/tasks', [{ complete_till: due }]);
    expect(noText.status).toBe(400);
    expect(noText.json['validation-errors'][0].errors[0].path).toBe('text');
    expect(account.tasks()).toHaveLength(1);
  });

  it('refuses a removed user as responsible', async () => {
    const [, , leaving] = account.users();
    expect(account.removeUser(leaving.id)).toBe(true);
    const answer = await api('POST', '/api/v4/tasks', [
      {
        text: 'x',
        complete_till: 1,
        entity_id: leadId,
        entity_type: 'leads',
        responsible_user_id: leaving.id,
      },
    ]);
    expect(answer.status).toBe(400);
  });
});
