import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * A phone number as amoCRM users type it (`+7 916 123-45-67`, `89161234567`, `9161234567`) in E.164
 * (`+79161234567`), or null when it is not a valid number. Numbers without a country code use `region`.
 */
export function normalizePhone(input: string, region: CountryCode): string | null {
  const trimmed = input.trim();
  if (!/\d/.test(trimmed) || trimmed.replace(/\D/g, '').length > 17) return null;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: region, extract: false });
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * What amoCRM's broad `query` search is given, since it stores phones as typed (`+7 916…`, `8 916…`, `916…`):
 * the last ten digits of the national number, or the whole national number when it is shorter (it is part of
 * every way the number can be written).
 */
export function phoneSearchDigits(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed?.nationalNumber ?? e164.replace(/\D/g, '');
  return national.slice(-10);
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}
