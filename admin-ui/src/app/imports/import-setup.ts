import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { rxResource, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { type Observable, finalize, map, switchMap } from 'rxjs';

import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { type SelectOption, SelectField, keyedOptions, namedOptions } from '../shared/select-field';
import { reasonOf } from './import-errors';
import { ImportsApi } from './imports-api';
import {
  type AmocrmTargetField,
  DEDUPE_POLICIES,
  IMPORT_KINDS,
  IMPORT_TARGETS,
  type ImportDetails,
  type ImportKind,
  type ImportMapping,
  type ImportProgress,
  type ImportTarget,
  type ImportTemplate,
  type LptrackerTargetProject,
  type SheetCell,
  fieldsFor,
  missingRequired,
} from './imports.models';

/** Sample values shown per column. */
const SAMPLES = 3;

/**
 * The step after the upload: sheet, kind, target, duplicate policy, dry run, the column → field table (first rows
 * shown, fields suggested from the header names), templates, and «Начать импорт» (saves the mapping, then starts).
 */
@Component({
  selector: 'app-import-setup',
  imports: [MatButton, MatCheckbox, MatFormField, MatLabel, MatInput, SelectField, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './import-setup.html',
  styleUrl: './import-setup.scss',
})
export class ImportSetup {
  private readonly api = inject(ImportsApi);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly destroyRef = inject(DestroyRef);

  readonly details = input.required<ImportDetails>();
  /** Another sheet was picked: the page shows the new preview. */
  readonly changed = output<ImportDetails>();
  readonly started = output<ImportProgress>();

  protected readonly kindOptions = keyedOptions(IMPORT_KINDS, (kind) => `imports.kinds.${kind}`);
  protected readonly targetOptions = keyedOptions(IMPORT_TARGETS, (target) => `imports.targets.${target}`);
  protected readonly dedupeOptions = keyedOptions(DEDUPE_POLICIES, (policy) => `imports.dedupe.${policy}`);
  protected readonly sheetOptions = computed(() =>
    this.details().sheets.map((sheet): SelectOption<string> => ({ value: sheet, label: sheet })),
  );

  protected readonly kind = linkedSignal<ImportKind>(() => this.details().mapping?.kind ?? 'contacts');
  protected readonly target = linkedSignal<ImportTarget>(() => this.details().mapping?.target ?? 'amocrm');
  protected readonly dedupe = linkedSignal(() => this.details().mapping?.dedupe ?? 'skip');
  protected readonly dryRun = linkedSignal(() => this.details().mapping?.dryRun ?? false);
  /** column → field; the saved mapping, else the server's suggestion for the kind (refreshed when the kind changes). */
  protected readonly columns = linkedSignal<
    { details: ImportDetails; kind: ImportKind },
    Record<string, string>
  >({
    source: () => ({ details: this.details(), kind: this.kind() }),
    computation: ({ details, kind }) =>
      details.mapping?.kind === kind
        ? { ...details.mapping.columns }
        : { ...(details.suggestions[kind] ?? {}) },
  });

  protected readonly rows = computed(() =>
    this.details().columns.map((column) => ({
      ...column,
      samples: this.details()
        .sampleRows.slice(0, SAMPLES)
        .map((row) => cellText(row[column.index] ?? null))
        .filter((value) => value !== ''),
    })),
  );
  /** The enabled LPTracker projects with their fields: asked only once the target is LPTracker. */
  protected readonly lpProjects = rxResource({
    params: () => (this.target() === 'lptracker' ? { target: 'lptracker' } : undefined),
    stream: () => this.api.lptrackerProjects().pipe(map((page) => page.items)),
  });
  protected readonly projectList = computed<LptrackerTargetProject[]>(() =>
    this.target() === 'lptracker' && this.lpProjects.hasValue() ? this.lpProjects.value() : [],
  );
  /** The project picked (the saved mapping's at first). */
  protected readonly projectId = linkedSignal<number | null>(() => this.details().mapping?.projectId ?? null);
  /** The project the leads go to: the one picked, else the only one enabled. */
  protected readonly project = computed<LptrackerTargetProject | null>(() => {
    const projects = this.projectList();
    return (
      projects.find((item) => item.id === this.projectId()) ?? (projects.length === 1 ? projects[0] : null)
    );
  });
  /** The amoCRM custom fields of contacts and leads: asked only while the target is amoCRM. */
  protected readonly amoFields = rxResource({
    params: () => (this.target() === 'amocrm' ? 'amocrm' : undefined),
    stream: () => this.api.amocrmFields().pipe(map((page) => page.items)),
  });
  /**
   * The target's custom fields a column may feed: amoCRM's of contacts (and of leads for a leads import); LPTracker's
   * of the chosen project's leads and contacts (a leads import).
   */
  private readonly customFields = computed<{ field: string; name: string | null; system: ImportTarget }[]>(
    () => {
      const kind = this.kind();
      if (kind === 'call_results') return [];
      if (this.target() === 'amocrm') {
        const fields: AmocrmTargetField[] = this.amoFields.hasValue() ? this.amoFields.value() : [];
        return fields
          .filter((field) => kind === 'leads' || field.entity === 'contact')
          .map((field) => ({ field: field.field, name: field.name, system: 'amocrm' as const }));
      }
      return kind === 'leads'
        ? (this.project()?.fields ?? [])
            .filter((field) => field.name !== null)
            .map((field) => ({ ...field, system: 'lptracker' as const }))
        : [];
    },
  );
  /**
   * The fields to pick from: the built-ins of the kind and target, the target's custom fields (LPTracker: of the
   * chosen project), plus any other one already chosen.
   */
  protected readonly fields = computed(() => {
    const known = [...fieldsFor(this.kind(), this.target()), ...this.customFields().map((f) => f.field)];
    const extra = Object.values(this.columns()).filter((field) => !known.includes(field));
    return [...known, ...new Set(extra)];
  });
  protected readonly projectOptions = computed(() => namedOptions(this.projectList()));
  protected readonly fieldOptions = computed(() =>
    this.fields().map((field): SelectOption<string> => ({ value: field, label: this.fieldLabel(field) })),
  );
  protected readonly missing = computed(() => {
    if (this.target() === 'lptracker' && this.projectList().length > 1 && !this.project())
      return 'needProject' as const;
    return missingRequired(this.kind(), this.columns());
  });

  protected readonly templates = rxResource({
    stream: () => this.api.templates().pipe(map((page) => page.items)),
  });
  protected readonly templateOptions = computed(() =>
    namedOptions(this.templates.hasValue() ? this.templates.value() : []),
  );
  protected readonly templateId = signal<string | null>(null);
  protected readonly templateName = signal('');

  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected needKey(need: 'needContact' | 'needCall' | 'needProject'): TranslationKey {
    return `imports.mapping.${need}`;
  }

  protected fieldLabel(field: string): string {
    const custom = this.customFields().find((item) => item.field === field);
    if (custom?.name) {
      const contact = field.startsWith('contact.');
      const key: TranslationKey =
        custom.system === 'amocrm'
          ? contact
            ? 'imports.fields.amocrmContact'
            : 'imports.fields.amocrmLead'
          : contact
            ? 'imports.fields.lptrackerContact'
            : 'imports.fields.lptrackerLead';
      return this.i18n.t(key, { name: custom.name });
    }
    const key = `imports.fields.${field}` as TranslationKey;
    const text = this.i18n.t(key);
    return text === key ? this.i18n.t('imports.fields.other', { field }) : text;
  }

  protected fieldOf(column: string): string | null {
    return Object.hasOwn(this.columns(), column) ? (this.columns()[column] ?? null) : null;
  }

  protected setField(column: string, field: string | null): void {
    this.columns.update((columns) => {
      const next = { ...columns };
      if (field) next[column] = field;
      else delete next[column];
      return next;
    });
  }

  protected pickSheet(sheet: string): void {
    this.run(this.api.pickSheet(this.details().id, sheet), (details) => this.changed.emit(details));
  }

  protected applyTemplate(): void {
    const template = (this.templates.hasValue() ? this.templates.value() : []).find(
      (item) => item.id === this.templateId(),
    );
    if (!template) return;
    const names = new Set(this.details().columns.map((column) => column.name));
    this.kind.set(template.kind);
    this.target.set(template.target);
    this.dedupe.set(template.dedupe);
    this.dryRun.set(template.dryRun);
    this.projectId.set(template.projectId ?? null);
    this.columns.set(
      Object.fromEntries(Object.entries(template.columns).filter(([column]) => names.has(column))),
    );
    this.notifier.info('imports.settings.templateApplied', { name: template.name });
  }

  protected saveTemplate(): void {
    const name = this.templateName().trim();
    if (!name) return;
    this.run(
      this.api.saveTemplate(name, this.mapping()),
      (template: ImportTemplate) => {
        this.templateName.set('');
        this.templates.reload();
        this.templateId.set(template.id);
        this.notifier.info('imports.settings.templateSaved', { name: template.name });
      },
      'imports.errors.template',
    );
  }

  protected start(): void {
    const id = this.details().id;
    this.run(
      this.api.saveMapping(id, this.mapping()).pipe(switchMap(() => this.api.run(id, 'start'))),
      (progress) => this.started.emit(progress),
      'imports.errors.start',
    );
  }

  private mapping(): ImportMapping {
    return {
      kind: this.kind(),
      target: this.target(),
      columns: this.columns(),
      dedupe: this.dedupe(),
      dryRun: this.dryRun(),
      ...(this.target() === 'lptracker' ? { projectId: this.project()?.id ?? null } : {}),
    };
  }

  private run<T>(
    call: Observable<T>,
    done: (value: T) => void,
    failure: TranslationKey = 'imports.errors.action',
  ): void {
    this.busy.set(true);
    this.error.set(null);
    call
      .pipe(
        finalize(() => this.busy.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: done,
        error: (error: unknown) => {
          const t = this.i18n.t.bind(this.i18n);
          const reason = reasonOf(error, t);
          this.error.set(
            isTemplateTaken(error) ? t('imports.errors.templateExists') : t(failure, { reason }),
          );
        },
      });
  }
}

function cellText(cell: SheetCell): string {
  return cell === null ? '' : String(cell);
}

function isTemplateTaken(error: unknown): boolean {
  const body = (error as { error?: { type?: unknown } } | null)?.error;
  return typeof body?.type === 'string' && body.type.endsWith('import-template-exists');
}
