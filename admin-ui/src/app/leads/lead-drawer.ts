import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOptgroup, MatOption, MatSelect } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { ContactNames } from '../shared/records/contact-names';
import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { customFieldRows } from '../shared/custom-field-values';
import { RublesPipe } from '../shared/rubles.pipe';
import { SideSheet } from '../shared/side-sheet';
import { LeadStatusChip } from '../shared/lead-status-chip';
import { LeadsApi } from '../shared/records/leads-api';
import type { Lead } from '../shared/records/leads.models';

export interface LeadDrawerData {
  id: string;
  /** What the list already shows, displayed while the full record loads. */
  initial?: Lead;
  /** Called after the lead was changed here (the list updates its row). */
  changed?: (lead: Lead) => void;
}

/** A stage to move the lead to: `pipelineId:statusId` (stages 142/143 exist in every pipeline). */
type StageKey = `${number}:${number}`;

/**
 * A lead in a side sheet: stage, pipeline, budget, contact (opens the contact), tags, custom
 * fields named from the metadata; managers and admins move it to another stage.
 */
@Component({
  selector: 'app-lead-drawer',
  imports: [
    RouterLink,
    MatDialogClose,
    MatButton,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatOptgroup,
    MatProgressBar,
    LocalDatePipe,
    TranslatePipe,
    RublesPipe,
    SideSheet,
    LeadStatusChip,
  ],
  templateUrl: './lead-drawer.html',
  styleUrl: '../shared/record-drawer.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadDrawer {
  private readonly api = inject(LeadsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly contactNames = inject(ContactNames);
  protected readonly metadata = inject(AmocrmMetadataStore);
  private readonly data = inject<LeadDrawerData>(MAT_DIALOG_DATA);

  protected readonly lead = signal<Lead | null>(this.data.initial ?? null);
  protected readonly loading = signal(true);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => {
    const error = this.loadError();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  protected readonly canEdit = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly stage = signal<StageKey | null>(null);
  protected readonly saving = signal(false);
  private readonly saveError = signal<unknown>(null);
  protected readonly saveErrorMessage = computed(() => {
    const error = this.saveError();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  protected readonly pipelineName = computed(() => {
    const lead = this.lead();
    return lead ? (this.metadata.pipeline(lead.pipelineId)?.name ?? lead.pipeline ?? null) : null;
  });
  protected readonly contactName = computed(() => {
    const lead = this.lead();
    if (!lead?.contactId) {
      return null;
    }
    return lead.contact?.name ?? this.contactNames.known().get(lead.contactId) ?? null;
  });
  protected readonly responsible = computed(() => this.metadata.userName(this.lead()?.responsibleUserId));
  protected readonly customFields = computed(() =>
    customFieldRows(this.lead()?.customFields, (id) => this.metadata.leadField(id), this.i18n.locale(), {
      yes: this.i18n.t('contacts.drawer.yes'),
      no: this.i18n.t('contacts.drawer.no'),
    }),
  );
  /** Stages to choose from: the lead's pipeline first, then the other working pipelines. */
  protected readonly stageGroups = computed(() => {
    const lead = this.lead();
    const pipelines = this.metadata.pipelines().filter((p) => !p.isArchive || p.id === lead?.pipelineId);
    const own = pipelines.filter((p) => p.id === lead?.pipelineId);
    return [...own, ...pipelines.filter((p) => p.id !== lead?.pipelineId)].map((pipeline) => ({
      pipeline,
      statuses: [...pipeline.statuses]
        .filter((status) => status.type !== 1)
        .sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
        .map((status) => ({ status, key: `${pipeline.id}:${status.id}` })),
    }));
  });
  protected readonly currentStage = computed<StageKey | null>(() => {
    const lead = this.lead();
    return lead?.statusId != null && lead.pipelineId != null ? `${lead.pipelineId}:${lead.statusId}` : null;
  });

  constructor() {
    this.metadata.ensureLoaded();
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .getOne(this.data.id)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (lead) => {
          this.lead.set(lead);
          if (lead.contact && lead.contactId) {
            this.contactNames.remember(lead.contactId, lead.contact.name);
          }
          this.contactNames.resolve([lead.contactId]);
        },
        error: (error: unknown) => this.loadError.set(error),
      });
  }

  /** Moves the lead to the chosen stage (and its pipeline). */
  protected changeStage(): void {
    const lead = this.lead();
    const stage = this.stage();
    if (!lead || !stage || stage === this.currentStage() || this.saving()) {
      return;
    }
    const [pipelineId, statusId] = stage.split(':').map(Number) as [number, number];
    this.saveError.set(null);
    this.saving.set(true);
    this.api
      .update(lead.id, { pipelineId, statusId })
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (updated) => {
          this.lead.set(updated);
          this.stage.set(null);
          this.data.changed?.(updated);
          const name =
            this.metadata.findStatus(updated.pipelineId, updated.statusId)?.status.name ??
            updated.status ??
            '';
          this.notifier.info('leads.statusChanged', { status: name });
        },
        error: (error: unknown) => this.saveError.set(error),
      });
  }
}
