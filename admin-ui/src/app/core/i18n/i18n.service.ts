import { DOCUMENT, Injectable, computed, inject, isDevMode, signal } from '@angular/core';

import { BrowserStorage } from '../browser-storage';
import { en } from './en';
import {
  DEFAULT_LANG,
  LANGUAGES,
  type Lang,
  type TranslationKey,
  type TranslationParams,
  type Translations,
} from './i18n.types';
import { ru } from './ru';

export const LANG_STORAGE_KEY = 'admin-ui.lang';

const DICTIONARIES: Readonly<Record<Lang, Translations>> = { ru, en };

/**
 * The console's language: Russian by default, English on request, remembered per browser.
 * `t()` reads the `lang` signal, so templates, `computed()` and effects that translate
 * re-run by themselves when the language changes.
 */
@Injectable({ providedIn: 'root' })
export class I18nService {
  private readonly document = inject(DOCUMENT);
  private readonly storage = inject(BrowserStorage);
  private readonly langState = signal<Lang>(this.storedLang());
  private readonly warned = new Set<string>();

  readonly lang = this.langState.asReadonly();
  readonly languages = LANGUAGES;
  /** Locale id for dates and numbers (`DatePipe`, `Intl`). */
  readonly locale = computed(() => (this.lang() === 'ru' ? 'ru-RU' : 'en-GB'));

  constructor() {
    this.document.documentElement.lang = this.langState();
  }

  setLang(lang: Lang): void {
    this.langState.set(lang);
    this.storage.set(LANG_STORAGE_KEY, lang);
    this.document.documentElement.lang = lang;
  }

  toggle(): void {
    this.setLang(this.lang() === 'ru' ? 'en' : 'ru');
  }

  /**
   * The text for `key` in the current language, with `{placeholders}` filled from `params`.
   * A key missing from the current language falls back to Russian, then to the key itself.
   */
  t(key: TranslationKey, params?: TranslationParams): string {
    const text = lookup(DICTIONARIES[this.lang()], key) ?? lookup(ru, key);
    if (text === undefined) {
      this.warnMissing(key);
      return key;
    }
    return params ? interpolate(text, params) : text;
  }

  private storedLang(): Lang {
    const stored = this.storage.get(LANG_STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Lang) : DEFAULT_LANG;
  }

  private warnMissing(key: string): void {
    if (isDevMode() && !this.warned.has(key)) {
      this.warned.add(key);
      console.warn(`[i18n] missing translation: ${key}`);
    }
  }
}

function lookup(dictionary: object, key: string): string | undefined {
  let node: unknown = dictionary;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function interpolate(text: string, params: TranslationParams): string {
  return text.replace(/(«?)\{(\w+)\}(»?)/g, (match, open: string, name: string, close: string) => {
    if (!Object.hasOwn(params, name)) {
      return match;
    }
    const value = String(params[name]);
    // A value in «…» that has quotes of its own (ООО «Ромашка») gets „…“ inside: never «…«…»».
    return open && close ? `«${value.replace(/«/g, '„').replace(/»/g, '“')}»` : `${open}${value}${close}`;
  });
}
