import type { AbstractControl, FormGroup } from '@angular/forms';

import { applyProblemToForm } from '../core/api/field-errors';
import { SERVER_ERROR_KEY } from '../core/api/server-form-errors';

/**
 * Puts the field errors of a failed request on the form (see `applyProblemToForm`); a phone the
 * server refused with its own wording becomes the console's «Неверный номер телефона».
 * Returns `true` when the field errors explain the failure fully.
 */
export function applyProblemWithPhones(
  form: FormGroup,
  error: unknown,
  phonePaths: readonly string[],
): boolean {
  const explained = applyProblemToForm(form, error);
  for (const path of phonePaths) {
    const control: AbstractControl | null = form.get(path);
    const errors = control?.errors;
    if (control && errors && typeof errors[SERVER_ERROR_KEY] === 'string') {
      const rest = { ...errors };
      delete rest[SERVER_ERROR_KEY];
      control.setErrors({ ...rest, invalidPhone: true });
    }
  }
  return explained;
}
