import type { AbstractControl, FormGroup } from '@angular/forms';

/** The validation error key under which a backend field message is stored on a control. */
export const SERVER_ERROR_KEY = 'server';

/**
 * Puts the backend's field errors on the matching form controls (`errors.server = message`;
 * show it with `control.getError('server')`). Field paths may be nested (`address.city`).
 * Returns the fields that matched no control, so the caller can show them elsewhere.
 */
export function applyServerErrors(form: FormGroup, fieldErrors: Record<string, string>): string[] {
  const unmatched: string[] = [];
  for (const [field, message] of Object.entries(fieldErrors)) {
    const control: AbstractControl | null = form.get(field);
    if (control) {
      control.setErrors({ ...control.errors, [SERVER_ERROR_KEY]: message });
      control.markAsTouched();
    } else {
      unmatched.push(field);
    }
  }
  return unmatched;
}
