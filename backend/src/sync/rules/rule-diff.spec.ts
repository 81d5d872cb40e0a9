import { diffDocuments } from './rule-diff';

describe('rule version diff', () => {
  it('lists changed, added and removed paths in document order', () => {
    const before = {
      name: 'A',
      enabled: true,
      conditions: {
        all: [
          { field: 'lead.price', op: 'gt', value: 1 },
          { field: 'view.source', op: 'empty' },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['VIP'] }],
    };
    const after = {
      name: 'B',
      enabled: true,
      conditions: { all: [{ field: 'lead.price', op: 'gt', value: 2 }] },
      actions: [{ type: 'add_tags', tags: ['VIP', 'Яндекс'] }, { type: 'stop' }],
    };
    expect(diffDocuments(before, after)).toStrictEqual([
      { path: 'name', before: 'A', after: 'B' },
      { path: 'conditions.all[0].value', before: 1, after: 2 },
      { path: 'conditions.all[1]', before: { field: 'view.source', op: 'empty' } },
      { path: 'actions[0].tags[1]', after: 'Яндекс' },
      { path: 'actions[1]', after: { type: 'stop' } },
    ]);
    expect(diffDocuments(after, after)).toEqual([]);
    expect(diffDocuments({ conditions: { all: [] } }, { conditions: { any: [] } })).toStrictEqual([
      { path: 'conditions.all', before: [] },
      { path: 'conditions.any', after: [] },
    ]);
  });
});
