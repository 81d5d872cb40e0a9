import { Pipe, type PipeTransform, inject } from '@angular/core';

import { I18nService } from './i18n.service';
import type { Lang, TranslationKey, TranslationParams } from './i18n.types';

/**
 * `{{ 'dashboard.title' | t }}`, `{{ 'login.lockedOut' | t: { minutes: 5 } }}`.
 *
 * Impure so it follows language switches, but it only re-translates when the key, the params
 * or the language change. It reads the `lang` signal, so an OnPush view that uses it is
 * refreshed when the language changes.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  private last?: { key: TranslationKey; params?: TranslationParams; lang: Lang; text: string };

  transform(key: TranslationKey, params?: TranslationParams): string {
    const lang = this.i18n.lang();
    const last = this.last;
    if (last?.key === key && last.lang === lang && sameParams(last.params, params)) {
      return last.text;
    }
    const text = this.i18n.t(key, params);
    this.last = { key, params: params ? { ...params } : undefined, lang, text };
    return text;
  }
}

function sameParams(a?: TranslationParams, b?: TranslationParams): boolean {
  if (a === b) {
    return true;
  }
  if (!a || !b) {
    return false;
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
