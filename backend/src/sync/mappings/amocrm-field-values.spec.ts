import type { AmocrmCustomFieldMeta } from '../../amocrm/metadata/amocrm-metadata.types';
import { amoFieldValue } from './amocrm-field-values';

const field = (type: string, enums: AmocrmCustomFieldMeta['enums'] = null): AmocrmCustomFieldMeta => ({
  id: 1,
  name: 'Поле',
  code: null,
  type,
  sort: 1,
  enums,
});

describe('amoFieldValue', () => {
  it('converts a mapped value to what each amoCRM field type takes', () => {
    const options = [
      { id: 11, value: 'Москва', sort: 1 },
      { id: 12, value: 'Казань', sort: 2 },
    ];
    expect(amoFieldValue(field('text'), 42)).toEqual({ ok: true, item: { value: '42' } });
    expect(amoFieldValue(field('numeric'), '1 200')).toEqual({ ok: true, item: { value: 1200 } });
    expect(amoFieldValue(field('date'), 1_764_547_200_000)).toEqual({
      ok: true,
      item: { value: 1_764_547_200 },
    });
    expect(amoFieldValue(field('date'), '01.12.2025 03:00')).toEqual({
      ok: true,
      item: { value: 1_764_547_200 },
    });
    expect(amoFieldValue(field('checkbox'), 'Да')).toEqual({ ok: true, item: { value: true } });
    expect(amoFieldValue(field('checkbox'), 'нет')).toEqual({ ok: true, item: { value: false } });
    expect(amoFieldValue(field('select', options), 12)).toEqual({ ok: true, item: { enumId: 12 } });
    expect(amoFieldValue(field('multiselect', options), ' москва ')).toEqual({
      ok: true,
      item: { enumId: 11 },
    });
  });

  it('refuses values that do not fit, naming why', () => {
    expect(amoFieldValue(field('numeric'), 'много')).toMatchObject({ ok: false, code: 'typeMismatch' });
    expect(amoFieldValue(field('date'), 'завтра')).toMatchObject({ ok: false, code: 'typeMismatch' });
    expect(amoFieldValue(field('checkbox'), 'может быть')).toMatchObject({ ok: false, code: 'typeMismatch' });
    expect(amoFieldValue(field('select', []), 'Тверь')).toMatchObject({
      ok: false,
      code: 'enumOptionMissing',
    });
    expect(amoFieldValue(field('file'), 'x')).toMatchObject({ ok: false, code: 'unsupportedType' });
  });
});
