import { type Provider, effect, inject } from '@angular/core';
import { DateAdapter, provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';

import { I18nService } from '../../core/i18n/i18n.service';
import { DayFirstDateAdapter } from './day-first-date-adapter';
import { I18nDatepickerIntl } from './i18n-datepicker-intl';

/** A page's datepickers: day-first dates typed and shown, labels in the console's language. */
export function provideLocalDatepicker(): Provider[] {
  return [
    provideNativeDateAdapter(),
    { provide: DateAdapter, useClass: DayFirstDateAdapter },
    { provide: MatDatepickerIntl, useClass: I18nDatepickerIntl },
  ];
}

/** Dates follow the language (call in the page's constructor). */
export function datesFollowLanguage(): void {
  const i18n = inject(I18nService);
  const dateAdapter = inject<DateAdapter<Date>>(DateAdapter);
  effect(() => dateAdapter.setLocale(i18n.locale()));
}
