import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { PageHeader } from '../core/ui/page-header';
import { datesFollowLanguage, provideLocalDatepicker } from '../shared/datepicker/local-datepicker';
import { pagedList } from '../shared/list/paged-list';
import { PAGE_SIZES, queryText } from '../shared/page';
import { PhonePipe } from '../shared/phone.pipe';
import { SelectField, keyedOptions } from '../shared/select-field';
import { CallCharts } from './call-charts';
import { CallResultsApi } from './call-results-api';
import {
  CALL_DIRECTIONS,
  CALL_RESULTS,
  CALL_SOURCES,
  type CallDirection,
  type CallFilters,
  type CallItem,
  type CallPage,
  type CallResult,
  type CallSource,
  NO_CALL_FILTERS,
  durationText,
} from './call-results.models';

/**
 * «Звонки»: the call results of the workspace with filters (period, phone, result, operator, direction, source),
 * the totals over every call the filters keep, charts per day and per operator, and the table page by page.
 */
@Component({
  selector: 'app-call-results-page',
  imports: [
    ReactiveFormsModule,
    MatButton,
    MatDatepickerModule,
    MatFormField,
    MatHint,
    MatLabel,
    MatSuffix,
    MatInput,
    SelectField,
    MatPaginator,
    MatProgressBar,
    PageHeader,
    CallCharts,
    LocalDatePipe,
    PhonePipe,
    TranslatePipe,
  ],
  providers: [provideLocalDatepicker()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './call-results-page.html',
  styleUrl: './call-results-page.scss',
})
export default class CallResultsPage {
  private readonly api = inject(CallResultsApi);
  private readonly i18n = inject(I18nService);

  protected readonly resultOptions = keyedOptions(CALL_RESULTS, (result) => this.resultKey(result));
  protected readonly directionOptions = keyedOptions(CALL_DIRECTIONS, (direction) =>
    this.directionKey(direction),
  );
  protected readonly sourceOptions = keyedOptions(CALL_SOURCES, (source) => this.sourceKey(source));
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly duration = durationText;

  protected readonly period = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });

  protected readonly list = pagedList<CallItem, CallFilters, CallPage>({
    filters: NO_CALL_FILTERS,
    load: ({ filters, page, limit }) => this.api.list(filters, page, limit),
  });
  protected readonly totals = computed(() => this.list.result()?.totals ?? null);
  protected readonly filtered = computed(() =>
    Object.values(this.list.filters()).some((value) => value !== null),
  );
  /** The list's error in words (a phone the server cannot read is named). */
  protected readonly errorText = computed(() => {
    const error = this.list.error();
    if (error === null) return null;
    const described = describeHttpError(error, this.i18n.t.bind(this.i18n));
    return 'phone' in described.fieldErrors
      ? this.i18n.t('callResults.badPhone')
      : `${this.i18n.t('callResults.loadFailed')} ${described.message}`;
  });

  constructor() {
    datesFollowLanguage();
    this.period.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(({ start, end }) => {
      if ((start ?? null) === null || (end ?? null) !== null) {
        this.list.setFilters({ start: start ?? null, end: end ?? null });
      }
    });
  }

  protected setText(name: 'phone' | 'operator', value: string): void {
    if (name === 'phone') this.list.setFilters({ phone: queryText(value) });
    else this.list.setFilters({ operator: queryText(value) });
  }

  protected setResult(result: CallResult | null): void {
    this.list.setFilters({ result });
  }

  protected setDirection(direction: CallDirection | null): void {
    this.list.setFilters({ direction });
  }

  protected setSource(source: CallSource | null): void {
    this.list.setFilters({ source });
  }

  protected reset(): void {
    this.period.setValue({ start: null, end: null }, { emitEvent: false });
    this.list.setFilters(NO_CALL_FILTERS);
  }

  protected resultKey(result: CallResult): TranslationKey {
    return `callResults.results.${result}`;
  }

  protected directionKey(direction: CallDirection): TranslationKey {
    return `callResults.directions.${direction}`;
  }

  protected sourceKey(source: CallSource): TranslationKey {
    return `callResults.sources.${source}`;
  }
}
