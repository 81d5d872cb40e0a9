import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { I18nService } from '../core/i18n/i18n.service';
import { ColorChip } from './color-chip';

/**
 * A lead's stage as a chip coloured like in amoCRM (colour and name from the metadata; the name
 * stored with the lead when the metadata does not know the stage).
 */
@Component({
  selector: 'app-lead-status-chip',
  imports: [ColorChip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-status-id]': 'statusId() ?? null' },
  template: `<app-color-chip data-testid="lead-status-chip" [label]="label()" [color]="color()" />`,
  styles: `
    :host {
      display: inline-flex;
      max-width: 100%;
    }
  `,
})
export class LeadStatusChip {
  private readonly metadata = inject(AmocrmMetadataStore);
  private readonly i18n = inject(I18nService);

  readonly pipelineId = input<number | null>(null);
  readonly statusId = input<number | null>(null);
  /** The stage name stored with the lead (used when the metadata does not know the stage). */
  readonly fallbackName = input<string | null>(null);

  private readonly found = computed(() => this.metadata.findStatus(this.pipelineId(), this.statusId()));
  protected readonly color = computed(() => this.found()?.status.color ?? null);
  protected readonly label = computed(() => {
    const statusId = this.statusId();
    return (
      this.found()?.status.name ??
      this.fallbackName() ??
      (statusId === null
        ? this.i18n.t('leads.noStatus')
        : this.i18n.t('leads.unknownStatus', { id: statusId }))
    );
  });
}
