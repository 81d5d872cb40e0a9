import { HttpErrorResponse } from '@angular/common/http';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { text } from '../../../testing/test-helpers';
import { I18nService } from '../i18n/i18n.service';
import { Notifier } from './notifier';

describe('Notifier', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((e) => e.remove()));

  it('shows an API error in words the user understands, in the chosen language', async () => {
    TestBed.inject(I18nService).setLang('en');
    TestBed.inject(Notifier).error(new HttpErrorResponse({ status: 403 }));
    await TestBed.inject(ApplicationRef).whenStable();

    const snack = document.querySelector('mat-snack-bar-container');
    expect(text(snack)).toContain('You do not have permission for this action.');
    expect(text(snack)).toContain('Close');
  });
});
