import type { ru } from './ru';

/** The shape every language must have: exactly the keys of `ru.ts`, each a string. */
export type Translations = typeof ru;

export const LANGUAGES = ['ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'ru';

/** Dot paths of all leaves, e.g. `'dashboard.title'`: a typo in a key is a compile error. */
type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

export type TranslationKey = LeafPaths<Translations>;

/** Values for `{placeholders}` in a translation. */
export type TranslationParams = Readonly<Record<string, string | number>>;
