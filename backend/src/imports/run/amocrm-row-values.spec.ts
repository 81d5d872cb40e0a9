import type { AmocrmMetadata } from '../mapping/amocrm-metadata-types';
import { typedRow } from './amocrm-row-values';
import type { PlannedRow } from './row-plan';

const field = (id: number, name: string, type: string, options?: string[]) => ({
  id,
  name,
  code: null,
  type,
  sort: id,
  enums: options ? options.map((value, index) => ({ id: 100 + index, value, sort: index })) : null,
});

const metadata = {
  contactFields: [
    field(1, 'Возраст', 'numeric'),
    field(2, 'Клиент с', 'date'),
    field(5, 'Интересы', 'multiselect', ['Спорт', 'Кино', 'Москва, центр', 'Книги; журналы', 'Москва']),
  ],
  leadFields: [field(3, 'Город', 'select', ['Москва', 'Казань']), field(4, 'VIP', 'checkbox')],
} as unknown as AmocrmMetadata;

const row = (contact: Record<number, string>, lead: Record<number, string> | null): PlannedRow => {
  const custom = (values: Record<number, string>) =>
    Object.entries(values).map(([id, value]) => ({ fieldId: Number(id), values: [{ value }] }));
  return {
    key: 'phone:+79161234567',
    contact: { name: 'Анна', phone: '+79161234567', customFields: custom(contact) },
    lead: lead ? { name: 'Сделка', customFields: custom(lead) } : null,
  };
};

describe('typedRow', () => {
  it('types the values as the mapping engine does: numbers, dates, options by text, yes/no; unknown ids left', () => {
    const typed = typedRow(
      row({ 1: '1 200,5', 2: '2026-01-15', 9: 'как есть' }, { 3: ' казань ', 4: 'Да' }),
      metadata,
    );
    expect(typed).toEqual({
      ok: true,
      row: expect.objectContaining({
        contact: expect.objectContaining({
          customFields: [
            { fieldId: 1, values: [{ value: 1200.5 }] },
            { fieldId: 2, values: [{ value: Date.UTC(2026, 0, 15) / 1000 }] },
            { fieldId: 9, values: [{ value: 'как есть' }] },
          ],
        }),
        lead: expect.objectContaining({
          customFields: [
            { fieldId: 3, values: [{ enumId: 101 }] },
            { fieldId: 4, values: [{ value: true }] },
          ],
        }),
      }),
    });
  });

  it('says in Russian which field a value does not fit', () => {
    expect(typedRow(row({ 1: 'сорок' }, null), metadata)).toEqual({
      ok: false,
      message: 'Поле amoCRM «Возраст»: нужно число, а не «сорок»',
    });
    expect(typedRow(row({}, { 3: 'Пермь' }), metadata)).toEqual({
      ok: false,
      message: 'Поле amoCRM «Город»: нет такого варианта, а не «Пермь»',
    });
    expect(typedRow(row({ 2: '31.02.2026' }, null), metadata)).toMatchObject({ ok: false });
  });

  describe('multiselect cells', () => {
    const interests = (cell: string) => {
      const typed = typedRow(row({ 5: cell }, null), metadata);
      return typed.ok ? typed.row.contact.customFields : typed;
    };
    const ids = (...enumIds: number[]) => [{ fieldId: 5, values: enumIds.map((enumId) => ({ enumId })) }];

    it('splits on commas and semicolons, trims, ignores case and empty parts, names each option once', () => {
      expect(interests('Спорт, кино')).toEqual(ids(100, 101));
      expect(interests(' спорт ;Кино;; , ')).toEqual(ids(100, 101));
      expect(interests('Кино, кино, Спорт')).toEqual(ids(101, 100));
      expect(interests('Кино')).toEqual(ids(101));
    });

    it('an option whose name holds a comma or semicolon is matched whole, alone or among others', () => {
      expect(interests('Москва, центр')).toEqual(ids(102));
      expect(interests('Кино, москва, центр; Спорт')).toEqual(ids(101, 102, 100));
      expect(interests('Книги; журналы, Москва')).toEqual(ids(103, 104));
    });

    it('a part that names no option fails the row, saying which part in Russian', () => {
      expect(typedRow(row({ 5: 'Спорт, Пермь, Кино' }, null), metadata)).toEqual({
        ok: false,
        message: 'Поле amoCRM «Интересы»: нет варианта «Пермь»',
      });
      expect(typedRow(row({ 5: 'Спорт, центр' }, null), metadata)).toEqual({
        ok: false,
        message: 'Поле amoCRM «Интересы»: нет варианта «центр»',
      });
    });

    it('a single-choice field still takes the whole cell as one option', () => {
      expect(typedRow(row({}, { 3: 'Москва, Казань' }), metadata)).toEqual({
        ok: false,
        message: 'Поле amoCRM «Город»: нет такого варианта, а не «Москва, Казань»',
      });
    });
  });
});
