import type { FormGroup, ValidationErrors } from '@angular/forms';

import type { TranslationKey, TranslationParams, Translations } from '../i18n/i18n.types';
import { ru } from '../i18n/ru';
import { readProblem } from './problem-details';
import { SERVER_ERROR_KEY } from './server-form-errors';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** A field error of a problem response with its rule code (`isEmail`, `maxLength`, `passwordTooShort`…). */
export interface CodedFieldError {
  field: string;
  message: string;
  code?: string;
}

/** Error codes the console words itself: the keys of `validation` in `ru.ts`. */
export type ValidationCode = keyof Translations['validation'];

export function isValidationCode(code: string): code is ValidationCode {
  return Object.hasOwn(ru.validation, code);
}

/** The first number in an English backend message ("name must be shorter than or equal to 100 characters"). */
function numberIn(message: string): number | null {
  const match = /\d+/.exec(message);
  return match ? Number(match[0]) : null;
}

/**
 * A backend field error as control errors: `{ <code>: params }` for a code the console words
 * itself (so the text follows language switches), `{ server: message }` for any other.
 */
export function fieldErrorAsControlErrors(error: CodedFieldError): ValidationErrors {
  const code = error.code ?? '';
  if (code === 'maxLength' || code === 'minLength') {
    const limit = numberIn(error.message);
    if (limit === null) {
      return { [`${code}Any`]: true };
    }
    return { [code]: code === 'maxLength' ? { max: limit } : { min: limit } };
  }
  if (isValidationCode(code)) {
    return { [code]: { field: error.field } };
  }
  return { [SERVER_ERROR_KEY]: error.message };
}

/** The field errors of a failed request (the first per field), or none. */
export function problemFieldErrors(error: unknown): CodedFieldError[] {
  const seen = new Set<string>();
  return ((readProblem(error)?.errors ?? []) as CodedFieldError[]).filter(
    (fieldError) => !seen.has(fieldError.field) && seen.add(fieldError.field),
  );
}

/**
 * The message for a form control's errors, in the user's language: a server message
 * (`applyServerErrors`) first, then Angular's validators, then the console's own codes
 * (`validation.<code>`, with the error's value as parameters when it is an object).
 */
export function controlErrorText(errors: ValidationErrors | null, t: Translate): string | null {
  if (!errors) {
    return null;
  }
  if (typeof errors[SERVER_ERROR_KEY] === 'string') {
    return errors[SERVER_ERROR_KEY];
  }
  if (errors['required']) {
    return t('validation.required');
  }
  if (errors['email']) {
    return t('validation.isEmail');
  }
  const maxlength = errors['maxlength'] as { requiredLength: number } | undefined;
  if (maxlength) {
    return t('validation.maxLength', { max: maxlength.requiredLength });
  }
  const minlength = errors['minlength'] as { requiredLength: number } | undefined;
  if (minlength) {
    return t('validation.minLength', { min: minlength.requiredLength });
  }
  const code = Object.keys(errors).find(isValidationCode);
  if (!code) {
    return t('errors.badRequest');
  }
  const value: unknown = errors[code];
  return typeof value === 'object' && value !== null
    ? t(`validation.${code}`, value as TranslationParams)
    : t(`validation.${code}`);
}

/**
 * Puts the field errors of a failed request on `form`'s controls (their text follows the
 * language; show it with the `fieldError` pipe). Returns `true` when they explain the failure
 * fully (there were some, and each matched a control), so the caller shows a general message
 * only otherwise.
 */
export function applyProblemToForm(form: FormGroup, error: unknown): boolean {
  const fieldErrors = problemFieldErrors(error);
  let unmatched = 0;
  for (const fieldError of fieldErrors) {
    const control = form.get(fieldError.field);
    if (control) {
      control.setErrors({ ...control.errors, ...fieldErrorAsControlErrors(fieldError) });
      control.markAsTouched();
    } else {
      unmatched++;
    }
  }
  return fieldErrors.length > 0 && unmatched === 0;
}

/** Field name → message in the current language, for field errors shown outside a form. */
export function translatedFieldErrors(error: unknown, t: Translate): Record<string, string> {
  const result: Record<string, string> = {};
  for (const fieldError of problemFieldErrors(error)) {
    result[fieldError.field] =
      controlErrorText(fieldErrorAsControlErrors(fieldError), t) ?? fieldError.message;
  }
  return result;
}

/** Marks `control` with one of the console's error codes (e.g. `emailTaken` after a 409). */
export function setControlError(
  control: {
    setErrors(errors: ValidationErrors | null): void;
    markAsTouched(): void;
    errors: ValidationErrors | null;
  },
  code: ValidationCode,
): void {
  control.setErrors({ ...control.errors, [code]: true });
  control.markAsTouched();
}
