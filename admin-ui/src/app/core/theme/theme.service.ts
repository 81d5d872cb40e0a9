import { DOCUMENT, Injectable, inject, signal } from '@angular/core';

import { BrowserStorage } from '../browser-storage';

export type ThemeMode = 'dark' | 'light';
export const THEME_STORAGE_KEY = 'admin-ui.theme';

/**
 * One Material theme whose colours are `light-dark()` values; this service only flips the
 * CSS `color-scheme` of `<html>` (dark by default, light when chosen, remembered per browser).
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly storage = inject(BrowserStorage);
  private readonly modeState = signal<ThemeMode>(
    this.storage.get(THEME_STORAGE_KEY) === 'light' ? 'light' : 'dark',
  );

  readonly mode = this.modeState.asReadonly();

  constructor() {
    this.apply(this.modeState());
  }

  setMode(mode: ThemeMode): void {
    this.modeState.set(mode);
    this.storage.set(THEME_STORAGE_KEY, mode);
    this.apply(mode);
  }

  toggle(): void {
    this.setMode(this.mode() === 'dark' ? 'light' : 'dark');
  }

  private apply(mode: ThemeMode): void {
    const html = this.document.documentElement;
    html.style.colorScheme = mode;
    html.dataset['theme'] = mode;
  }
}
