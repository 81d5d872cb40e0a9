import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';

import { describeHttpError } from '../api/problem-details';
import { I18nService } from '../i18n/i18n.service';
import type { TranslationKey, TranslationParams } from '../i18n/i18n.types';

/** Short translated messages at the bottom of the screen (Material snack bar). */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly i18n = inject(I18nService);

  /** e.g. `notifier.info('contacts.saved')`. */
  info(key: TranslationKey, params?: TranslationParams): void {
    this.snackBar.open(this.i18n.t(key, params), this.i18n.t('common.close'), { duration: 4000 });
  }

  /** Explains a failed API call (any error) in the user's language. */
  error(error: unknown): void {
    const { message } = describeHttpError(error, (key, params) => this.i18n.t(key, params));
    this.snackBar.open(message, this.i18n.t('common.close'), { duration: 8000, politeness: 'assertive' });
  }
}
