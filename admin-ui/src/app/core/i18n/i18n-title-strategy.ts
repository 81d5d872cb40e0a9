import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { type RouterStateSnapshot, TitleStrategy } from '@angular/router';

import { I18nService } from './i18n.service';
import type { TranslationKey } from './i18n.types';

/**
 * Route `title`s are translation keys (`title: 'dashboard.title'`); the browser tab shows
 * "<page> · <app name>" in the current language, and follows language switches.
 */
@Injectable()
export class I18nTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly i18n = inject(I18nService);
  private readonly pageKey = signal<TranslationKey | undefined>(undefined);

  constructor() {
    super();
    effect(() => {
      const key = this.pageKey();
      const app = this.i18n.t('app.name');
      this.title.setTitle(key ? `${this.i18n.t(key)} · ${app}` : app);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.pageKey.set(this.buildTitle(snapshot) as TranslationKey | undefined);
  }
}
