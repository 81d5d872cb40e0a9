import { EngineWritesService, mirrorSourceOf, type EngineWriteNotice } from './engine-writes';

describe('engine write notices', () => {
  const heard = () => {
    const writes = new EngineWritesService();
    const notices: EngineWriteNotice[] = [];
    writes.listen((notice) => {
      notices.push(notice);
      return Promise.resolve();
    });
    return { writes, notices };
  };
  const lead = { entity: 'lead' as const, id: 'l1', amocrmId: 77 };

  it('tells only writes with an origin (the client API, imports); the mirror source defaults to api', async () => {
    const { writes, notices } = heard();
    await writes.created('ws', {}, lead, ['lead.created']);
    await writes.updated('ws', {}, lead, { 'lead.price': 1 }, { 'lead.price': 2 });
    expect(notices).toEqual([]);
    await writes.created('ws', { origin: 'import' }, lead, ['lead.created', 'contact.created']);
    expect(notices).toEqual([
      expect.objectContaining({
        workspaceId: 'ws',
        origin: 'import',
        events: ['lead.created', 'contact.created'],
        entity: 'lead',
        id: 'l1',
        amocrmId: '77',
        changedFields: [],
      }),
    ]);
    expect(mirrorSourceOf({})).toBe('api');
    expect(mirrorSourceOf({ origin: 'import' })).toBe('import');
  });

  it('an update: nothing when nothing changed; the changed fields with old values; a stage change is told as such', async () => {
    const { writes, notices } = heard();
    await writes.updated('ws', { origin: 'api' }, lead, { 'lead.price': 1 }, { 'lead.price': 1 });
    expect(notices).toEqual([]);
    await writes.updated('ws', { origin: 'api' }, lead, { 'lead.price': 1 }, { 'lead.price': 2 });
    await writes.updated(
      'ws',
      { origin: 'api' },
      lead,
      { 'lead.status': 10, 'lead.price': 1 },
      { 'lead.status': 20, 'lead.price': 1 },
    );
    expect(notices.map((n) => [n.events, n.changedFields, n.old])).toEqual([
      [['lead.updated'], ['lead.price'], { 'lead.price': 1 }],
      [['lead.updated', 'lead.stage_changed'], ['lead.status'], { 'lead.status': 10 }],
    ]);
  });

  it('a listener that fails makes the notice fail (the write answers an error)', async () => {
    const writes = new EngineWritesService();
    writes.listen(() => Promise.reject(new Error('inbox down')));
    await expect(writes.created('ws', { origin: 'api' }, lead, ['lead.created'])).rejects.toThrow(
      'inbox down',
    );
  });
});
