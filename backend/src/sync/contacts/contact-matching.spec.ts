import type { AmoContact, AmoCustomFieldValue } from '../../amocrm/client/amocrm-api.types';
import {
  emailsOf,
  mergeMultiValue,
  phonesOf,
  pickContactByEmail,
  pickContactByPhone,
  sameEmail,
  samePhone,
} from './contact-matching';

function contact(id: number, fields: AmoCustomFieldValue[], extra: Partial<AmoContact> = {}): AmoContact {
  return {
    id,
    name: `c${id}`,
    responsible_user_id: 1,
    created_at: 0,
    updated_at: 0,
    custom_fields_values: fields,
    ...extra,
  };
}
const phones = (...values: string[]): AmoCustomFieldValue => ({
  field_id: 10,
  field_code: 'PHONE',
  values: values.map((value) => ({ value, enum_code: 'WORK' })),
});
const emails = (...values: string[]): AmoCustomFieldValue => ({
  field_id: 11,
  field_code: 'EMAIL',
  values: values.map((value) => ({ value })),
});

describe('matching amoCRM contacts exactly', () => {
  it('finds a phone stored in any format, by normalised E.164 comparison', () => {
    for (const stored of ['8 (916) 123-45-67', '+7 916 123 45 67', '9161234567', '79161234567']) {
      expect(pickContactByPhone([contact(1, [phones(stored)])], '+79161234567', 'RU')?.id).toBe(1);
    }
  });

  it('refuses hits that only fuzzy-match the search (longer, shorter or other numbers)', () => {
    const hits = [
      contact(1, [phones('+791612345678')]),
      contact(2, [phones('916123456')]),
      contact(3, [phones('+7 926 123-45-67')]),
    ];
    expect(pickContactByPhone(hits, '+79161234567', 'RU')).toBeUndefined();
  });

  it('checks every phone of a contact, skips deleted contacts, and picks the oldest of several', () => {
    const hits = [
      contact(9, [phones('+7 999 000-00-00', '89161234567')]),
      contact(5, [phones('89161234567')], { is_deleted: true }),
      contact(7, [phones('+79161234567')]),
    ];
    expect(pickContactByPhone(hits, '+79161234567', 'RU')?.id).toBe(7);
  });

  it('finds the PHONE field by the metadata id when amoCRM answers without field_code', () => {
    const hit = contact(1, [{ field_id: 10, values: [{ value: '89161234567' }] }]);
    expect(pickContactByPhone([hit], '+79161234567', 'RU')).toBeUndefined();
    expect(pickContactByPhone([hit], '+79161234567', 'RU', 10)?.id).toBe(1);
  });

  it('matches e-mails ignoring case and spaces, never by substring', () => {
    const hits = [
      contact(1, [emails('ivan.petrov@example.ru.evil')]),
      contact(2, [emails(' Ivan.Petrov@Example.RU ')]),
    ];
    expect(pickContactByEmail(hits, 'ivan.petrov@example.ru')?.id).toBe(2);
    expect(
      pickContactByEmail([contact(3, [emails('petrov@example.ru')])], 'ivan.petrov@example.ru'),
    ).toBeUndefined();
  });

  it('lists valid phones in E.164 and e-mails lower-case, without repeats', () => {
    const value = contact(1, [
      phones('89161234567', '+7 916 123-45-67', 'not a phone', '+375 29 123-45-67'),
      emails('A@B.ru', 'a@b.ru'),
    ]);
    expect(phonesOf(value, 'RU')).toEqual(['+79161234567', '+375291234567']);
    expect(emailsOf(value)).toEqual(['a@b.ru']);
  });
});

describe('read-merge-write of multi-value fields', () => {
  it('keeps every current value as stored (text, type) and appends what is new', () => {
    const current = [
      { value: '8 (916) 123-45-67', enum_id: 501, enum_code: 'MOB' },
      { value: '+7 926 000-00-00', enum_id: 500 },
    ];
    expect(mergeMultiValue(current, ['+79990000000'], samePhone('RU'), 'WORK')).toEqual([
      { value: '8 (916) 123-45-67', enum_id: 501 },
      { value: '+7 926 000-00-00', enum_id: 500 },
      { value: '+79990000000', enum_code: 'WORK' },
    ]);
  });

  it('writes nothing when the value is there already in another format', () => {
    expect(
      mergeMultiValue([{ value: '8 (916) 123-45-67' }], ['+79161234567'], samePhone('RU'), 'WORK'),
    ).toBeNull();
    expect(
      mergeMultiValue([{ value: 'Ivan@Example.ru' }], ['ivan@example.ru'], sameEmail, 'WORK'),
    ).toBeNull();
  });

  it('adds several values once each, to an empty field too', () => {
    expect(
      mergeMultiValue([], ['+79161234567', '+79161234567', '+79990000000'], samePhone('RU'), 'WORK'),
    ).toEqual([
      { value: '+79161234567', enum_code: 'WORK' },
      { value: '+79990000000', enum_code: 'WORK' },
    ]);
  });
});
