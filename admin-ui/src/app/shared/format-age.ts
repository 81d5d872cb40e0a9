import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** A span in seconds: `45 с`, `1,5 с`, `3 мин 20 с`, `2 ч 5 мин`. */
export function formatAge(seconds: number, locale: string, t: Translate): string {
  if (seconds < 60) {
    const value = new Intl.NumberFormat(locale, { maximumFractionDigits: seconds < 10 ? 1 : 0 }).format(
      seconds,
    );
    return t('events.units.s', { value });
  }
  const whole = Math.round(seconds);
  if (whole < 3600) {
    return t('events.units.min', { m: Math.floor(whole / 60), s: whole % 60 });
  }
  return t('events.units.h', { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
}
