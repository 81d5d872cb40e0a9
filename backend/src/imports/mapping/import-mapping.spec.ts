import { suggestColumns } from './column-suggestions';
import { isKnownField, mappingProblems } from './import-mapping';

const columns = (...names: string[]) => names.map((name, index) => ({ index, letter: 'A', name }));

describe('import mappings', () => {
  it('knows the fields of each kind and target, custom ids included', () => {
    expect(isKnownField('contact.custom.123', 'contacts', 'amocrm')).toBe(true);
    expect(isKnownField('contact.field.123', 'contacts', 'amocrm')).toBe(false);
    expect(isKnownField('contact.field.7', 'leads', 'lptracker')).toBe(true);
    expect(isKnownField('lead.price', 'contacts', 'amocrm')).toBe(false);
    expect(isKnownField('lead.custom.0', 'leads', 'amocrm')).toBe(false);
    expect(isKnownField('lead.custom.12x', 'leads', 'amocrm')).toBe(false);
    expect(isKnownField('call.phone', 'call_results', 'amocrm')).toBe(true);
  });

  it('names the column of each problem, and asks for a phone or e-mail column', () => {
    const known = new Set(['Телефон', 'Имя', 'Почта']);
    expect(
      mappingProblems('contacts', 'amocrm', [{ column: 'Телефон', field: 'contact.phone' }], known),
    ).toEqual([]);
    expect(
      mappingProblems(
        'contacts',
        'amocrm',
        [
          { column: 'Нет', field: 'contact.phone' },
          { column: 'Имя', field: 'lead.name' },
        ],
        known,
      ).map((e) => [e.field, e.code]),
    ).toEqual([
      ['columns.Нет', 'unknownColumn'],
      ['columns.Имя', 'unknownField'],
    ]);
    expect(
      mappingProblems('contacts', 'amocrm', [{ column: 'Имя', field: 'contact.name' }], known)[0],
    ).toMatchObject({
      field: 'columns',
      code: 'required',
    });
    expect(
      mappingProblems(
        'contacts',
        'amocrm',
        [
          { column: 'Телефон', field: 'contact.phone' },
          { column: 'Почта', field: 'contact.phone' },
          { column: 'Имя', field: 'contact.name' },
        ],
        known,
      ),
    ).toEqual([]);
    expect(
      mappingProblems(
        'contacts',
        'amocrm',
        [
          { column: 'Телефон', field: 'contact.phone' },
          { column: 'Имя', field: 'contact.name' },
          { column: 'Почта', field: 'contact.name' },
        ],
        known,
      ).map((e) => [e.field, e.code]),
    ).toEqual([['columns.Почта', 'duplicateField']]);
    expect(
      mappingProblems('call_results', 'amocrm', [{ column: 'Телефон', field: 'call.phone' }], null)[0]
        .message,
    ).toContain('call.started_at');
  });

  it('suggests fields from Russian and English header names, each field once', () => {
    const found = suggestColumns(
      columns('ФИО', 'Телефон', 'Эл. почта', 'Моб. телефон', 'Бюджет', 'Комментарий', 'E-mail'),
      'leads',
      'amocrm',
    );
    expect(found).toEqual([
      { column: 'ФИО', field: 'contact.name' },
      { column: 'Телефон', field: 'contact.phone' },
      { column: 'Эл. почта', field: 'contact.email' },
      { column: 'Бюджет', field: 'lead.price' },
    ]);
    expect(suggestColumns(columns('Phone', 'Name', 'Источник'), 'leads', 'lptracker')).toEqual([
      { column: 'Phone', field: 'contact.phone' },
      { column: 'Name', field: 'contact.name' },
      { column: 'Источник', field: 'view.source' },
    ]);
  });
});
