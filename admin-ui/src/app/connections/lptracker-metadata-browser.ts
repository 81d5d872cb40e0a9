import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatTab, MatTabGroup } from '@angular/material/tabs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { LptrackerMetadataStore } from '../core/lptracker/lptracker-metadata-store';

/**
 * What the service knows about each enabled LPTracker project: lead custom fields (with their
 * choices), contact fields, funnel stages and staff. The page loads and refreshes the store.
 */
@Component({
  selector: 'app-lptracker-metadata-browser',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatTabGroup,
    MatTab,
    MatProgressBar,
    LocalDatePipe,
    TranslatePipe,
  ],
  templateUrl: './lptracker-metadata-browser.html',
  styleUrl: './amocrm-metadata-browser.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LptrackerMetadataBrowser {
  protected readonly store = inject(LptrackerMetadataStore);
  private readonly i18n = inject(I18nService);

  protected readonly projects = computed(() => this.store.metadata()?.projects ?? []);
  protected readonly errorMessage = computed(() => {
    const error = this.store.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
}
