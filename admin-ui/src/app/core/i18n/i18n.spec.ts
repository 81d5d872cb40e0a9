import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { text } from '../../../testing/test-helpers';
import { en } from './en';
import { I18nService, LANG_STORAGE_KEY } from './i18n.service';
import type { TranslationKey } from './i18n.types';
import { TranslatePipe } from './translate.pipe';

@Component({
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<h1>{{ 'dashboard.title' | t }}</h1>
    <p>{{ 'login.lockedOut' | t: { minutes: 5 } }}</p>`,
})
class Host {}

describe('i18n', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
  });

  it('speaks Russian by default and sets <html lang>', () => {
    const i18n = TestBed.inject(I18nService);
    expect(i18n.lang()).toBe('ru');
    expect(i18n.t('dashboard.title')).toBe('Обзор');
    expect(document.documentElement.lang).toBe('ru');
  });

  it('switches to English and remembers the choice in this browser', () => {
    TestBed.inject(I18nService).setLang('en');
    expect(TestBed.inject(I18nService).t('dashboard.title')).toBe('Overview');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');

    TestBed.resetTestingModule();
    expect(TestBed.inject(I18nService).lang()).toBe('en');
  });

  it('ignores a stored language it does not know', () => {
    localStorage.setItem(LANG_STORAGE_KEY, 'de');
    expect(TestBed.inject(I18nService).lang()).toBe('ru');
  });

  it('fills in placeholders', () => {
    expect(TestBed.inject(I18nService).t('login.lockedOut', { minutes: 5 })).toBe(
      'Слишком много попыток, попробуйте через 5 мин.',
    );
  });

  it('shows the key itself for a missing translation', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(TestBed.inject(I18nService).t('nowhere.to.be.found' as TranslationKey)).toBe(
      'nowhere.to.be.found',
    );
  });

  it('falls back to Russian when English lacks a text at runtime', () => {
    const i18n = TestBed.inject(I18nService);
    i18n.setLang('en');
    const original = en.menu.dashboard;
    try {
      delete (en.menu as Partial<typeof en.menu>).dashboard;
      expect(i18n.t('menu.dashboard')).toBe('Обзор');
    } finally {
      en.menu.dashboard = original;
    }
  });

  it('never nests «…«…»»: quotes inside a quoted value become „…“', () => {
    const i18n = TestBed.inject(I18nService);
    expect(i18n.t('apiKeys.revoked', { name: 'Сайт «Весна»' })).toBe('Ключ «Сайт „Весна“» отозван.');
    expect(i18n.t('apiKeys.revoked', { name: 'Сайт' })).toBe('Ключ «Сайт» отозван.');
    expect(i18n.t('audit.filters.groupAll', { group: 'ООО «Ромашка»' })).toBe('ООО «Ромашка»: все');
  });

  it('re-renders OnPush templates using the pipe when the language changes', async () => {
    const fixture = TestBed.createComponent(Host);
    const element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(text(element.querySelector('h1'))).toBe('Обзор');
    expect(text(element.querySelector('p'))).toBe('Слишком много попыток, попробуйте через 5 мин.');

    TestBed.inject(I18nService).setLang('en');
    await fixture.whenStable();
    expect(text(element.querySelector('h1'))).toBe('Overview');
    expect(text(element.querySelector('p'))).toBe('Too many attempts, try again in 5 min.');
  });
});
