import { TestBed } from '@angular/core/testing';

import { byTestId, registerIcons } from '../../../testing/test-helpers';
import { ThemeToggle } from './theme-toggle';
import { THEME_STORAGE_KEY, ThemeService } from './theme.service';

describe('ThemeToggle', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.style.colorScheme = '';
    registerIcons();
  });

  it('starts dark and switches to light, remembered in this browser', async () => {
    const fixture = TestBed.createComponent(ThemeToggle);
    await fixture.whenStable();
    const button = byTestId(fixture, 'theme-toggle');

    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(button.getAttribute('aria-label')).toBe('Включить светлую тему');

    button.click();
    await fixture.whenStable();

    expect(document.documentElement.style.colorScheme).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(button.getAttribute('aria-label')).toBe('Включить тёмную тему');

    // A later visit in the same browser opens in light.
    TestBed.resetTestingModule();
    document.documentElement.style.colorScheme = '';
    expect(TestBed.inject(ThemeService).mode()).toBe('light');
    expect(document.documentElement.style.colorScheme).toBe('light');
  });
});
