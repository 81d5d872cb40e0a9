import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** The backend's password policy (`PasswordService.assertAcceptable`), checked before sending. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
const MIN_DIFFERENT_CHARACTERS = 4;
const MIN_EMAIL_NAME_LENGTH = 4;

/**
 * What is wrong with `password`, as the backend's error codes (`passwordTooShort`, …), or `null`.
 * Same order as the backend, so the user sees the same first problem.
 */
export function passwordPolicyErrors(password: string, email?: string): ValidationErrors | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { passwordTooShort: true };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { passwordTooLong: true };
  }
  if (new Set(password).size < MIN_DIFFERENT_CHARACTERS) {
    return { passwordTooSimple: true };
  }
  const name = (email ?? '').trim().split('@')[0]?.toLowerCase() ?? '';
  if (name.length >= MIN_EMAIL_NAME_LENGTH && password.toLowerCase().includes(name)) {
    return { passwordContainsEmail: true };
  }
  return null;
}

/**
 * Validator for a new password. `email` gives the e-mail the password belongs to (it may change
 * while the form is filled in: call `updateValueAndValidity()` on the password when it does).
 * An empty value is left to `Validators.required`.
 */
export function passwordPolicyValidator(email: () => string | undefined = () => undefined): ValidatorFn {
  return (control: AbstractControl<string>) =>
    control.value ? passwordPolicyErrors(control.value, email()) : null;
}

/** Validator for the "repeat password" control: equal to `original`. */
export function sameAsValidator(original: () => string): ValidatorFn {
  return (control: AbstractControl<string>) =>
    control.value && control.value !== original() ? { passwordMismatch: true } : null;
}

// No look-alikes (I, l, 1, O, 0), so a password read aloud or retyped from a screen survives.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '-_.!@#%+=';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/** A random index below `max`, without modulo bias. */
function randomIndex(max: number, random: (buffer: Uint32Array) => Uint32Array): number {
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const buffer = new Uint32Array(1);
  for (;;) {
    const value = random(buffer)[0] ?? 0;
    if (value < limit) {
      return value % max;
    }
  }
}

/**
 * A strong random password (crypto-grade) that passes the policy: `length` characters with
 * lower- and upper-case letters, digits and a symbol.
 */
export function generatePassword(
  length = 20,
  random: (buffer: Uint32Array) => Uint32Array = (buffer) => crypto.getRandomValues(buffer),
): string {
  const pick = (set: string): string => set.charAt(randomIndex(set.length, random));
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) {
    chars.push(pick(ALL));
  }
  // Shuffle (Fisher–Yates) so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
