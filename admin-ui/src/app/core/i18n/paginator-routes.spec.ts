import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatPaginator } from '@angular/material/paginator';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { text } from '../../../testing/test-helpers';
import { I18nService } from './i18n.service';
import { withTranslatedPaginator } from './paginator-routes';

@Component({
  imports: [MatPaginator],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<mat-paginator [length]="42" [pageSize]="10" [pageSizeOptions]="[10, 25]" />`,
})
class PagedPage {}

describe('withTranslatedPaginator', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('gives the pages under it the paginator labels in the console language', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter(withTranslatedPaginator([{ path: 'list', component: PagedPage }]))],
    });
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/list');
    const element = harness.routeNativeElement!;

    expect(text(element.querySelector('.mat-mdc-paginator-page-size-label'))).toBe('Строк на странице:');
    expect(text(element.querySelector('.mat-mdc-paginator-range-label'))).toBe('1–10 из 42');

    TestBed.inject(I18nService).setLang('en');
    harness.detectChanges();
    await harness.fixture.whenStable();
    expect(text(element.querySelector('.mat-mdc-paginator-range-label'))).toBe('1–10 of 42');
  });
});
