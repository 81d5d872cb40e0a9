import { identitiesOf } from './contact-identities.repository';

describe('identitiesOf: the phones and e-mails a contact row is found by', () => {
  const row = {
    phone: '+79161234567',
    email: 'Main@Example.RU',
    phones: ['+79161234567', '+79167654321'],
    emails: ['main@example.ru', ' other@example.ru '],
    deletedAt: null,
  };

  it('has every phone and e-mail once, the main ones included, e-mails lower-case', () => {
    expect(identitiesOf(row)).toEqual([
      { kind: 'phone', value: '+79161234567' },
      { kind: 'phone', value: '+79167654321' },
      { kind: 'email', value: 'main@example.ru' },
      { kind: 'email', value: 'other@example.ru' },
    ]);
    expect(identitiesOf({ ...row, phones: null, emails: null })).toEqual([
      { kind: 'phone', value: '+79161234567' },
      { kind: 'email', value: 'main@example.ru' },
    ]);
  });

  it('has none for a deleted contact or no row, and leaves out empty and over-long values', () => {
    expect(identitiesOf({ ...row, deletedAt: new Date() })).toEqual([]);
    expect(identitiesOf(null)).toEqual([]);
    expect(
      identitiesOf({
        phone: null,
        email: ' ',
        phones: [''],
        emails: [`${'a'.repeat(250)}@x.ru`],
        deletedAt: null,
      }),
    ).toEqual([]);
  });
});
