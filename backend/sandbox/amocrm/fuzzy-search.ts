/**
 * amoCRM's `query` parameter: a broad substring search, not an exact match. Digit queries are
 * compared on digits only, so `9161234567` also finds `+791612345678` (a false positive clients
 * must filter out themselves).
 */

export function digitsOnly(text: string): string {
  return text.replace(/\D+/g, '');
}

const PHONE_LIKE = /^[\d\s()+\-.]+$/;

export function matchesFuzzyQuery(query: string, texts: readonly string[]): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  const needleDigits = digitsOnly(needle);
  const digitSearch = needleDigits.length >= 3 && PHONE_LIKE.test(needle);
  return texts.some(
    (text) => text.toLowerCase().includes(needle) || (digitSearch && digitsOnly(text).includes(needleDigits)),
  );
}
