import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { I18nService } from '../core/i18n/i18n.service';
import { LptrackerApi } from '../core/lptracker/lptracker-api';
import type { LptrackerProjectMetadata } from '../core/lptracker/lptracker.models';
import type { ActionChoices } from './rule-actions';
import { type RuleField, ruleFields } from './rule-catalog';

/**
 * The pickers' catalog for the rule editor, from the console's cached amoCRM metadata and the LPTracker
 * metadata of the enabled projects (a system that is not connected simply offers no fields).
 */
@Injectable()
export class RuleMetadata {
  private readonly amocrm = inject(AmocrmMetadataStore);
  private readonly lptrackerApi = inject(LptrackerApi);
  private readonly i18n = inject(I18nService);
  private readonly lptracker = signal<LptrackerProjectMetadata[]>([]);

  readonly fields = computed((): RuleField[] =>
    ruleFields(
      this.amocrm.metadata(),
      this.lptracker(),
      (key) => this.i18n.t(`rules.fields.${key as 'lead_name'}`),
      (group, id) =>
        group === 'source'
          ? this.i18n.t(`rules.sources.${id as 'api'}`)
          : this.i18n.t(`rules.events.${id.replace('.', '_') as 'lead_created'}`),
    ),
  );

  readonly choices = computed((): ActionChoices => {
    const amocrm = this.amocrm.metadata();
    const projects = this.lptracker();
    const seen = new Set<number>();
    const lptrackerFields = projects
      .flatMap((project) => project.customs)
      .filter((field) => !seen.has(field.id) && seen.add(field.id))
      .map((field) => ({ id: field.id, label: field.name }));
    const stageIds = new Set<number>();
    return {
      pipelines: (amocrm?.pipelines ?? []).map((pipeline) => ({
        id: pipeline.id,
        name: pipeline.name,
        statuses: pipeline.statuses.map((status) => ({ id: status.id, name: status.name })),
      })),
      users: (amocrm?.users ?? []).map((user) => ({ id: user.id, label: user.name })),
      stages: projects
        .flatMap((project) => project.funnel)
        .filter((stage) => !stageIds.has(stage.id) && stageIds.add(stage.id))
        .map((stage) => ({ id: stage.id, label: stage.name })),
      lptrackerFields,
      projects: projects.map((project) => ({ id: project.projectId, label: project.name })),
      leadFields: this.fields().filter(
        (field) =>
          field.ref === 'lead.name' || field.ref === 'lead.price' || field.ref.startsWith('lead.custom.'),
      ),
    };
  });

  load(): void {
    this.amocrm.ensureLoaded();
    this.lptrackerApi.metadata().subscribe({
      next: (metadata) => this.lptracker.set(metadata.projects),
      error: (error: unknown) => {
        if (!(error instanceof HttpErrorResponse)) {
          throw error;
        }
        this.lptracker.set([]);
      },
    });
  }
}
