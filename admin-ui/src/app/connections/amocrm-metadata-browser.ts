import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatTab, MatTabGroup } from '@angular/material/tabs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { ru } from '../core/i18n/ru';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { ColorChip } from '../shared/color-chip';
import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import type { AmocrmCustomField, AmocrmStatus } from '../core/amocrm/amocrm.models';

type FieldTypeKey = keyof typeof ru.amocrm.metadata.fieldTypes;

/**
 * What the service knows about the amoCRM account: pipelines with their stages (coloured as in
 * amoCRM), users, and the custom fields of contacts and leads (type, options).
 */
@Component({
  selector: 'app-amocrm-metadata-browser',
  imports: [
    NgTemplateOutlet,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatTabGroup,
    MatTab,
    MatButton,
    MatProgressBar,
    ColorChip,
    LocalDatePipe,
    TranslatePipe,
  ],
  templateUrl: './amocrm-metadata-browser.html',
  styleUrl: './amocrm-metadata-browser.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AmocrmMetadataBrowser {
  protected readonly store = inject(AmocrmMetadataStore);
  private readonly i18n = inject(I18nService);

  protected readonly metadata = this.store.metadata;
  protected readonly pipelines = this.store.pipelines;
  protected readonly errorMessage = computed(() => {
    const error = this.store.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    this.store.ensureLoaded();
  }

  protected reload(): void {
    this.store.load().subscribe({ error: () => undefined });
  }

  protected sortedStatuses(statuses: readonly AmocrmStatus[]): AmocrmStatus[] {
    return [...statuses].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
  }

  protected sortedFields(fields: readonly AmocrmCustomField[] | undefined): AmocrmCustomField[] {
    return [...(fields ?? [])].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
  }

  protected fieldType(type: string): string {
    return Object.hasOwn(ru.amocrm.metadata.fieldTypes, type)
      ? this.i18n.t(`amocrm.metadata.fieldTypes.${type as FieldTypeKey}` satisfies TranslationKey)
      : type;
  }
}
