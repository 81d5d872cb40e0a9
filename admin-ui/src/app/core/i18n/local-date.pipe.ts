import { Pipe, type PipeTransform, inject } from '@angular/core';

import { I18nService } from './i18n.service';

export type LocalDateStyle = 'dateTime' | 'date';

const FORMATS: Readonly<Record<LocalDateStyle, Intl.DateTimeFormatOptions>> = {
  dateTime: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  date: { day: '2-digit', month: '2-digit', year: 'numeric' },
};

/** A date (ISO string, epoch ms or Date) in the user's local time and language; `null` stays `null`. */
export function formatLocalDate(
  value: string | number | Date | null | undefined,
  locale: string,
  style: LocalDateStyle = 'dateTime',
): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : new Intl.DateTimeFormat(locale, FORMATS[style]).format(date);
}

/**
 * `{{ user.createdAt | localDate }}` → `05.03.2026, 14:07` (ru) / `05/03/2026, 14:07` (en);
 * `{{ value | localDate: 'date' }}` without the time. Follows language switches.
 */
@Pipe({ name: 'localDate', pure: false })
export class LocalDatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  private last?: { value: unknown; style: LocalDateStyle; locale: string; text: string | null };

  transform(
    value: string | number | Date | null | undefined,
    style: LocalDateStyle = 'dateTime',
  ): string | null {
    const locale = this.i18n.locale();
    const last = this.last;
    if (last && last.value === value && last.style === style && last.locale === locale) {
      return last.text;
    }
    const text = formatLocalDate(value, locale, style);
    this.last = { value, style, locale, text };
    return text;
  }
}
