import { normalizeEmail, normalizePhone, phoneSearchDigits } from './phone';

describe('normalizePhone', () => {
  it.each([
    '+7 916 123-45-67',
    '89161234567',
    '9161234567',
    '8 (916) 123 45 67',
    '+79161234567',
    '79161234567',
  ])('%s is +79161234567 in Russia', (input) => expect(normalizePhone(input, 'RU')).toBe('+79161234567'));

  it('keeps foreign numbers with their country code', () => {
    expect(normalizePhone('+1 650 253 0000', 'RU')).toBe('+16502530000');
    expect(normalizePhone('+375 29 123-45-67', 'RU')).toBe('+375291234567');
  });

  it('uses the default region for local numbers', () => {
    expect(normalizePhone('029 123 45 67', 'BY')).toBe('+375291234567');
  });

  it.each(['12345', 'not a phone', '', '+7 916 123', '+7 916 123 45 67 89 01 23 45'])(
    'refuses %p',
    (input) => {
      expect(normalizePhone(input, 'RU')).toBeNull();
    },
  );

  it('gives the ten digits amoCRM is searched by', () => {
    expect(phoneSearchDigits('+79161234567')).toBe('9161234567');
    expect(phoneSearchDigits('+375291234567')).toBe('291234567');
    expect(phoneSearchDigits('+3726123456')).toBe('6123456');
  });

  it('lower-cases e-mails', () => {
    expect(normalizeEmail('  Ivan.Petrov@Example.RU ')).toBe('ivan.petrov@example.ru');
  });
});
