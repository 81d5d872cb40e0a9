import { planRow, type RowField } from './row-plan';

const FIELDS: RowField[] = [
  { index: 0, field: 'contact.name' },
  { index: 1, field: 'contact.phone' },
  { index: 2, field: 'contact.email' },
  { index: 3, field: 'lead.name' },
  { index: 4, field: 'lead.price' },
  { index: 5, field: 'lead.tags' },
  { index: 6, field: 'contact.custom.77' },
];

describe('planRow: a sheet row as the engine input, or why not (in Russian)', () => {
  it('normalises the phone and e-mail, keys the row by phone, reads price, tags and custom fields', () => {
    expect(
      planRow(
        ['Анна', '8 (916) 123-45-67', ' Anna@Example.RU ', 'Окна', '15 000,50', 'сайт, окна', 'Москва'],
        FIELDS,
        'leads',
        'RU',
      ),
    ).toEqual({
      ok: true,
      row: {
        key: 'phone:+79161234567',
        contact: {
          name: 'Анна',
          phone: '+79161234567',
          email: 'anna@example.ru',
          customFields: [{ fieldId: 77, values: [{ value: 'Москва' }] }],
        },
        lead: { name: 'Окна', price: 15001, tags: ['сайт', 'окна'] },
      },
    });
  });

  it('keys a row without a phone by its e-mail and names the contact by it; contacts get no lead', () => {
    expect(planRow([null, '', 'x@y.ru'], FIELDS, 'contacts', 'RU')).toEqual({
      ok: true,
      row: { key: 'email:x@y.ru', contact: { name: 'x@y.ru', email: 'x@y.ru' }, lead: null },
    });
  });

  it.each([
    [['А', '12', ''], 'Телефон «12» не похож на номер телефона'],
    [['А', '', 'not-mail'], 'E-mail «not-mail» записан с ошибкой'],
    [['А', '', ''], 'Нет ни телефона, ни e-mail'],
    [['А', '+79161234567', '', 'x', 'много'], 'Бюджет «много» — не число'],
  ])('refuses %j: %s', (cells, message) => {
    expect(planRow(cells, FIELDS, 'leads', 'RU')).toEqual({ ok: false, message });
  });
});
