import { planLptrackerRow } from './lptracker-row-plan';

const fields = (...names: string[]) => names.map((field, index) => ({ index, field }));

describe('an import row as an LPTracker lead', () => {
  it('fills name, contact, stage, owner, custom and contact fields and the view', () => {
    const plan = planLptrackerRow(
      ['Окна', 'Пётр', '8 916 555-12-34', 'P@Example.ru', '2', '4', '150', 'Тула', 'xls'],
      fields(
        'lead.name',
        'contact.name',
        'contact.phone',
        'contact.email',
        'lead.stage',
        'lead.owner',
        'lead.custom.501',
        'contact.field.33',
        'view.source',
      ),
      'RU',
    );
    expect(plan).toEqual({
      ok: true,
      lead: {
        name: 'Окна',
        contactName: 'Пётр',
        phone: '+79165551234',
        email: 'p@example.ru',
        contactFields: { '33': 'Тула' },
        custom: { '501': '150' },
        stageId: 2,
        ownerId: 4,
        view: { source: 'xls' },
      },
    });
  });

  it('refuses a row without phone and e-mail, a bad phone, a stage that is not an id', () => {
    expect(planLptrackerRow(['Пётр'], fields('contact.name'), 'RU')).toEqual({
      ok: false,
      message: 'Нет ни телефона, ни e-mail',
    });
    expect(planLptrackerRow(['12'], fields('contact.phone'), 'RU').ok).toBe(false);
    const stage = planLptrackerRow(['+79165551234', 'Новая'], fields('contact.phone', 'lead.stage'), 'RU');
    expect(stage).toEqual({ ok: false, message: 'Этап «Новая» нужно указать номером из LPTracker' });
  });
});
