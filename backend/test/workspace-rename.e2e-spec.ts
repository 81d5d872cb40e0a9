import { loginAdmin, secondWorkspace } from './support/auth';
import { call } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/** PATCH /api/v1/workspaces/:id: the super-admin renames a workspace, audited; bad input is a 400 naming the field. */
describe('renaming a workspace', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('renames, records who did it with the old and the new name, and refuses everyone else', async () => {
    const superAdmin = await loginAdmin(t.url);
    const other = await secondWorkspace(t.url, superAdmin, 'Отдел продаж');
    const id = other.user.workspaceId;

    const renamed = await call(`${t.url}/api/v1/workspaces/${id}`, {
      method: 'PATCH',
      token: superAdmin.token,
      body: { name: '  Отдел продаж СПб  ' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Отдел продаж СПб', users: 1, isDefault: false });
    const list = await call(`${t.url}/api/v1/workspaces`, { token: superAdmin.token });
    expect(list.body.find((workspace: { id: string }) => workspace.id === id).name).toBe('Отдел продаж СПб');

    const audit = await call(`${t.url}/api/v1/audit?action=workspace.renamed`, { token: superAdmin.token });
    expect(audit.body.items[0]).toMatchObject({
      action: 'workspace.renamed',
      actor: superAdmin.user.email,
      targetType: 'workspace',
      targetId: id,
      details: { from: 'Отдел продаж', to: 'Отдел продаж СПб' },
    });

    // the workspace's own admin may not rename it (workspaces are the platform level)
    const byAdmin = await call(`${t.url}/api/v1/workspaces/${id}`, {
      method: 'PATCH',
      token: other.token,
      body: { name: 'Моё' },
    });
    expect(byAdmin.status).toBe(403);
    const missing = await call(`${t.url}/api/v1/workspaces/0190f5d2-0000-7000-8000-000000000000`, {
      method: 'PATCH',
      token: superAdmin.token,
      body: { name: 'Нет такого' },
    });
    expect(missing.status).toBe(404);
  });

  it.each([
    ['a missing name', {}],
    ['a blank name', { name: '   ' }],
    ['a number', { name: 42 }],
    ['an object', { name: { nested: { deeper: 'x' } } }],
    ['a too long name', { name: 'x'.repeat(121) }],
  ])('answers 400 problem+json naming the field for %s', async (_what, body) => {
    const superAdmin = await loginAdmin(t.url);
    const res = await call(`${t.url}/api/v1/workspaces/${superAdmin.user.workspaceId}`, {
      method: 'PATCH',
      token: superAdmin.token,
      body,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain('"field":"name"');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key with 400, never 500', async (key) => {
    const superAdmin = await loginAdmin(t.url);
    const res = await call(`${t.url}/api/v1/workspaces/${superAdmin.user.workspaceId}`, {
      method: 'PATCH',
      token: superAdmin.token,
      body: `{"name":"Новое","${key}":{"isDefault":true}}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0]).toMatchObject({ field: key, code: 'prototypeKey' });
  });
});
