import type { AmocrmCustomFieldMeta } from '../amocrm/metadata/amocrm-metadata.types';
import { applyCustomFieldValues, prepareCustomFields } from './custom-fields';

const field = (
  id: number,
  type: string,
  extra: Partial<AmocrmCustomFieldMeta> = {},
): AmocrmCustomFieldMeta => ({
  id,
  name: `f${id}`,
  code: null,
  type,
  sort: id,
  enums: null,
  ...extra,
});

const FIELDS: AmocrmCustomFieldMeta[] = [
  field(1, 'text'),
  field(2, 'numeric'),
  field(3, 'select', {
    enums: [
      { id: 31, value: 'Сайт', sort: 1 },
      { id: 32, value: 'Звонок', sort: 2 },
    ],
  }),
  field(4, 'multiselect', {
    enums: [
      { id: 41, value: 'A', sort: 1 },
      { id: 42, value: 'B', sort: 2 },
    ],
  }),
  field(5, 'checkbox'),
  field(6, 'date'),
  field(7, 'multitext', { code: 'PHONE', enums: [{ id: 71, value: 'WORK', sort: 1 }] }),
  field(8, 'url'),
  field(9, 'file'),
  field(10, 'multitext', { enums: [{ id: 101, value: 'WORK', sort: 1 }] }),
];

const check = (inputs: Parameters<typeof prepareCustomFields>[0]) =>
  prepareCustomFields(inputs, FIELDS, 'customFields', { reservedCodes: ['PHONE', 'EMAIL'] });
const fields = (result: ReturnType<typeof check>) =>
  result.errors.map((error) => `${error.field} ${error.code}`);

describe('custom fields checked against the amoCRM metadata', () => {
  it('converts each type for amoCRM and for the mirror', () => {
    const result = check([
      { fieldId: 1, values: [{ value: ' text ' }] },
      { fieldId: 2, values: [{ value: '12,5' }] },
      { fieldId: 3, values: [{ enumId: 32 }] },
      { fieldId: 4, values: [{ enumId: 41 }, { value: 'b' }] },
      { fieldId: 5, values: [{ value: false }] },
      { fieldId: 6, values: [{ value: '2025-03-01' }] },
      { fieldId: 8, values: [{ value: 'https://example.ru' }] },
      { fieldId: 10, values: [{ value: 'x', enumId: 101 }, { value: 'y' }] },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.fields.map((item) => item.amo)).toEqual([
      { field_id: 1, values: [{ value: 'text' }] },
      { field_id: 2, values: [{ value: 12.5 }] },
      { field_id: 3, values: [{ enum_id: 32 }] },
      { field_id: 4, values: [{ enum_id: 41 }, { enum_id: 42 }] },
      { field_id: 5, values: [{ value: false }] },
      { field_id: 6, values: [{ value: Date.UTC(2025, 2, 1) / 1000 }] },
      { field_id: 8, values: [{ value: 'https://example.ru' }] },
      { field_id: 10, values: [{ value: 'x', enum_id: 101 }, { value: 'y' }] },
    ]);
    expect(result.fields[2].local).toEqual({
      fieldId: 3,
      fieldCode: null,
      fieldName: 'f3',
      values: [{ value: 'Звонок', enumId: 32, enumCode: null }],
    });
    expect(result.fields.map((item) => item.source)).toEqual([
      'customFields[0]',
      'customFields[1]',
      'customFields[2]',
      'customFields[3]',
      'customFields[4]',
      'customFields[5]',
      'customFields[6]',
      'customFields[7]',
    ]);
  });

  it('names unknown fields, reserved fields, repeats and types it cannot write', () => {
    const result = check([
      { fieldId: 404, values: [{ value: 'a' }] },
      { fieldId: 7, values: [{ value: '+79161234567' }] },
      { fieldId: 1, values: [{ value: 'a' }] },
      { fieldId: 1, values: [{ value: 'b' }] },
      { fieldId: 9, values: [{ value: 'a' }] },
    ]);
    expect(fields(result)).toEqual([
      'customFields[0].fieldId unknownField',
      'customFields[1].fieldId reservedField',
      'customFields[3].fieldId duplicate',
      'customFields[4].fieldId unsupportedType',
    ]);
    expect(result.fields.map((item) => item.amo.field_id)).toEqual([1]);
  });

  it('names a field listed twice as a repeat even when it was refused the first time', () => {
    const result = check([
      { fieldId: 9, values: [{ value: 'a' }] },
      { fieldId: 9, values: [{ value: 'b' }] },
      { fieldId: 1, values: [{ value: 'a' }, { value: 'b' }] },
      { fieldId: 1, values: [{ value: 'c' }] },
    ]);
    expect(fields(result)).toEqual([
      'customFields[0].fieldId unsupportedType',
      'customFields[1].fieldId duplicate',
      'customFields[2].values singleValue',
      'customFields[3].fieldId duplicate',
    ]);
  });

  it('names wrong enum ids and option texts, and missing options', () => {
    const result = check([
      { fieldId: 3, values: [{ enumId: 41 }] },
      { fieldId: 4, values: [{ enumId: 41 }, { value: 'C' }] },
      { fieldId: 3, values: [{}] },
      { fieldId: 10, values: [{ value: 'x', enumId: 5 }] },
      { fieldId: 1, values: [{ value: 'x', enumId: 5 }] },
    ]);
    expect(fields(result)).toEqual([
      'customFields[0].values[0].enumId unknownEnum',
      'customFields[1].values[1].value unknownEnum',
      'customFields[2].fieldId duplicate',
      'customFields[3].values[0].enumId unknownEnum',
      'customFields[4].values[0].enumId notAllowed',
    ]);
    expect(result.errors[0].message).toContain('31 «Сайт»');
  });

  it('needs an option for list fields', () => {
    expect(fields(check([{ fieldId: 3, values: [{}] }]))).toEqual([
      'customFields[0].values[0].enumId required',
    ]);
  });

  it('names values whose type does not fit the field', () => {
    const result = check([
      { fieldId: 1, values: [{ value: true }] },
      { fieldId: 2, values: [{ value: 'много' }] },
      { fieldId: 5, values: [{ value: 'yes' }] },
      { fieldId: 6, values: [{ value: 'tomorrow' }] },
      { fieldId: 8, values: [{ value: 'not a url' }] },
      { fieldId: 10, values: [{ value: '' }] },
    ]);
    expect(fields(result)).toEqual([
      'customFields[0].values[0].value type',
      'customFields[1].values[0].value type',
      'customFields[2].values[0].value type',
      'customFields[3].values[0].value type',
      'customFields[4].values[0].value type',
      'customFields[5].values[0].value required',
    ]);
  });

  it('refuses several values for a single-value field', () => {
    expect(fields(check([{ fieldId: 1, values: [{ value: 'a' }, { value: 'b' }] }]))).toEqual([
      'customFields[0].values singleValue',
    ]);
  });

  it('replaces written fields in the mirror and keeps the others', () => {
    const current = [
      {
        fieldId: 1,
        fieldCode: null,
        fieldName: 'f1',
        values: [{ value: 'old', enumId: null, enumCode: null }],
      },
      { fieldId: 2, fieldCode: null, fieldName: 'f2', values: [{ value: 5, enumId: null, enumCode: null }] },
    ];
    const written = [
      {
        fieldId: 1,
        fieldCode: null,
        fieldName: 'f1',
        values: [{ value: 'new', enumId: null, enumCode: null }],
      },
    ];
    expect(applyCustomFieldValues(current, written).map((item) => item.values[0].value)).toEqual(['new', 5]);
    expect(applyCustomFieldValues(null, written)).toEqual(written);
  });
});
