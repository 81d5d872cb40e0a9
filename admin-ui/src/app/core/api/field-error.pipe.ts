import { Pipe, type PipeTransform, inject } from '@angular/core';
import type { ValidationErrors } from '@angular/forms';

import { I18nService } from '../i18n/i18n.service';
import type { Lang } from '../i18n/i18n.types';
import { controlErrorText } from './field-errors';

/**
 * `<mat-error>{{ form.controls.email.errors | fieldError }}</mat-error>`: the control's error in
 * the user's language (server messages from `applyServerErrors` first). Impure so it follows
 * language switches; it only re-translates when the errors object or the language changes.
 */
@Pipe({ name: 'fieldError', pure: false })
export class FieldErrorPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  private last?: { errors: ValidationErrors | null; lang: Lang; text: string | null };

  transform(errors: ValidationErrors | null | undefined): string | null {
    const lang = this.i18n.lang();
    const value = errors ?? null;
    const last = this.last;
    if (last?.errors === value && last.lang === lang) {
      return last.text;
    }
    const text = controlErrorText(value, (key, params) => this.i18n.t(key, params));
    this.last = { errors: value, lang, text };
    return text;
  }
}
