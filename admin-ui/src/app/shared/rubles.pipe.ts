import { Pipe, type PipeTransform, inject } from '@angular/core';

import { I18nService } from '../core/i18n/i18n.service';

/** `150000` → `150 000 ₽` (ru) / `RUB 150,000` (en); `null` stays `null`. */
export function formatRubles(value: number | null | undefined, locale: string): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return null;
  }
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'RUB',
    maximumFractionDigits: 0,
  }).format(value);
}

/** `{{ lead.price | rubles }}`: an amount in roubles, in the user's language. */
@Pipe({ name: 'rubles', pure: false })
export class RublesPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  private last?: { value: number | null | undefined; locale: string; text: string | null };

  transform(value: number | null | undefined): string | null {
    const locale = this.i18n.locale();
    const last = this.last;
    if (last && last.value === value && last.locale === locale) {
      return last.text;
    }
    const text = formatRubles(value, locale);
    this.last = { value, locale, text };
    return text;
  }
}
