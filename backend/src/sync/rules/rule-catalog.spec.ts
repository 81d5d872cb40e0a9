import { ruleCatalog } from './rule-catalog';
import { resolveField } from './rule-fields';
import { RULE_META } from './testing/rule-test-metadata';

describe('rule field catalog', () => {
  it('lists the fields of both systems with their types and option names, each one a field rules accept', () => {
    const catalog = ruleCatalog(RULE_META);
    const byRef = new Map(catalog.fields.map((field) => [field.ref, field]));
    expect(byRef.get('lead.status')).toMatchObject({
      type: 'enum',
      options: [
        { id: 11, name: 'Воронка: Новая' },
        { id: 12, name: 'Воронка: Оплачено' },
        { id: 21, name: 'VIP: Новая VIP' },
      ],
    });
    expect(byRef.get('lead.pipeline')?.options).toEqual([
      { id: 1, name: 'Воронка' },
      { id: 2, name: 'VIP' },
    ]);
    expect(byRef.get('lead.custom.104')).toMatchObject({ type: 'multi_enum', name: 'Сделка: Услуги' });
    expect(byRef.get('lptracker.custom.901')).toMatchObject({ type: 'enum', system: 'lptracker' });
    expect(byRef.get('contact.field.950')).toMatchObject({ type: 'string' });
    for (const field of catalog.fields) {
      const resolved = resolveField(field.ref, RULE_META);
      expect([field.ref, resolved.ok && resolved.type]).toEqual([field.ref, field.type]);
    }
    expect(catalog.operators.number).toContain('between');
    expect(catalog.operators.enum).not.toContain('contains');
  });

  it('offers no amoCRM or LPTracker fields without their metadata', () => {
    const refs = ruleCatalog({ amocrm: null, lptracker: [] }).fields.map((field) => field.ref);
    expect(refs).not.toContain('lead.status');
    expect(refs).not.toContain('lptracker.stage');
    expect(refs).toContain('view.source');
  });
});
