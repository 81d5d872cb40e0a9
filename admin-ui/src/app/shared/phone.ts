import type { AbstractControl, FormGroup, ValidationErrors, ValidatorFn } from '@angular/forms';

/** Characters people type around the digits of a phone number. */
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

/**
 * A quick check of a phone number as people type it (`+7 916 123-45-67`, `8 (916) 123-45-67`,
 * `9161234567`): digits with the usual separators, 10 to 15 digits. The server has the final
 * word (it normalises to E.164). Empty is fine; add `Validators.required` when the phone is needed.
 * Error: `{ invalidPhone: true }` (worded by `validation.invalidPhone`).
 */
export function isPlausiblePhone(value: string): boolean {
  const trimmed = value.trim();
  if (!PHONE_CHARACTERS.test(trimmed) || trimmed.lastIndexOf('+') > 0) {
    return false;
  }
  const digits = trimmed.replace(/\D/g, '').length;
  return digits >= 10 && digits <= 15;
}

export const phoneValidator: ValidatorFn = (control: AbstractControl<unknown>): ValidationErrors | null => {
  const value = control.value;
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  return isPlausiblePhone(value) ? null : { invalidPhone: true };
};

/** `+79161234567` → `+7 916 123-45-67` (Russian and Kazakh numbers); anything else as it is. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) {
    return '';
  }
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return match ? `+7 ${match[1]} ${match[2]}-${match[3]}-${match[4]}` : phone;
}

/**
 * A contact is found by its phone or e-mail, so one of them is needed: a group validator for a
 * group with `phone` and `email` controls. Error on the group: `{ phoneOrEmail: true }`.
 */
export const phoneOrEmailRequired: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const group = control as FormGroup<{ phone: AbstractControl<string>; email: AbstractControl<string> }>;
  const phone = group.controls.phone.value.trim();
  const email = group.controls.email.value.trim();
  return phone || email ? null : { phoneOrEmail: true };
};
