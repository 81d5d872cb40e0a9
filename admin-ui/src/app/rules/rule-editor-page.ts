import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { Router, RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { PageHeader } from '../core/ui/page-header';
import { openSideSheet } from '../shared/side-sheet';
import { RuleActionsEditor } from './rule-actions';
import { RuleFieldPicker } from './rule-field-picker';
import { RuleGroupEditor } from './rule-group';
import { RuleHistory, type RuleHistoryData } from './rule-history';
import { RuleMetadata } from './rule-metadata';
import { RuleTestPanel } from './rule-test-panel';
import { type EditorGroup, fromEditor, toEditor } from './rule-tree';
import { RulesApi } from './rules-api';
import {
  RULE_EVENTS,
  RULE_SOURCES,
  type Rule,
  type RuleAction,
  type RuleBody,
  type RuleEvent,
  type RuleSource,
  type RuleTrigger,
} from './rules.models';

/**
 * `/rules/new` and `/rules/:id`: the rule constructor. Name, trigger (source, events, changed fields), nested
 * condition groups, ordered actions; on the right the test on recent events. A refused save shows each server
 * error under its control (by path, `conditions.any[1].all[0].value`) and all of them in a list on top.
 */
@Component({
  selector: 'app-rule-editor-page',
  imports: [
    RouterLink,
    MatFormField,
    MatLabel,
    MatInput,
    MatSelect,
    MatOption,
    MatSlideToggle,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    PageHeader,
    TranslatePipe,
    RuleFieldPicker,
    RuleGroupEditor,
    RuleActionsEditor,
    RuleTestPanel,
  ],
  providers: [RuleMetadata],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rule-editor-page.html',
  styleUrl: './rule-editor-page.scss',
})
export default class RuleEditorPage {
  private readonly api = inject(RulesApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  protected readonly metadata = inject(RuleMetadata);

  /** `:id` of the route; absent on `/rules/new`. */
  readonly id = input<string>();

  protected readonly sources = RULE_SOURCES;
  protected readonly events = RULE_EVENTS;
  protected readonly canEdit = computed(() => this.auth.user() !== null && this.auth.hasRole(['admin']));
  protected readonly readonly = computed(() => !this.canEdit());

  protected readonly rule = signal<Rule | null>(null);
  protected readonly name = signal('');
  protected readonly enabled = signal(true);
  protected readonly trigger = signal<RuleTrigger>({
    source: 'lptracker',
    events: ['lead.created'],
    changedFields: [],
  });
  protected readonly conditions = signal<EditorGroup>({ kind: 'all', children: [] });
  protected readonly actions = signal<RuleAction[]>([]);

  protected readonly loading = signal(false);
  protected readonly saving = signal(false);
  /** Server errors of the last refused save, by path. */
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly errorList = computed(() => Object.entries(this.errors()));
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  /** The draft as the API takes it. */
  readonly draft = computed((): RuleBody => ({
    name: this.name(),
    enabled: this.enabled(),
    trigger: this.trigger(),
    conditions: fromEditor(this.conditions()),
    actions: this.actions(),
  }));

  constructor() {
    this.metadata.load();
    effect(() => {
      const id = this.id();
      untracked(() => this.load(id));
    });
  }

  private load(id: string | undefined): void {
    if (!id || id === 'new') {
      return;
    }
    this.loading.set(true);
    this.api
      .rule(id)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (rule) => this.fill(rule),
        error: (error: unknown) => this.error.set(error),
      });
  }

  private fill(rule: Rule): void {
    this.rule.set(rule);
    this.name.set(rule.name);
    this.enabled.set(rule.enabled);
    this.trigger.set({ ...rule.trigger, changedFields: [...rule.trigger.changedFields] });
    this.conditions.set(toEditor(rule.conditions));
    this.actions.set(structuredClone(rule.actions));
    this.errors.set({});
  }

  protected errorAt(path: string): string | null {
    return this.errors()[path] ?? null;
  }

  protected setSource(source: RuleSource): void {
    this.trigger.update((trigger) => ({ ...trigger, source }));
  }

  protected setEvents(events: RuleEvent[]): void {
    this.trigger.update((trigger) => ({ ...trigger, events }));
  }

  protected setChangedField(index: number, ref: string): void {
    this.trigger.update((trigger) => ({
      ...trigger,
      changedFields: trigger.changedFields.map((field, i) => (i === index ? ref : field)),
    }));
  }

  protected addChangedField(): void {
    this.trigger.update((trigger) => ({
      ...trigger,
      changedFields: [...trigger.changedFields, 'lead.price'],
    }));
  }

  protected removeChangedField(index: number): void {
    this.trigger.update((trigger) => ({
      ...trigger,
      changedFields: trigger.changedFields.filter((_, i) => i !== index),
    }));
  }

  protected eventKey(event: RuleEvent): TranslationKey {
    return `rules.events.${event.replace('.', '_') as 'lead_created'}`;
  }

  protected sourceKey(source: RuleSource): TranslationKey {
    return `rules.sources.${source}`;
  }

  protected save(): void {
    const existing = this.rule();
    this.saving.set(true);
    this.error.set(null);
    this.errors.set({});
    const request = existing ? this.api.save(existing.id, this.draft()) : this.api.create(this.draft());
    request.pipe(finalize(() => this.saving.set(false))).subscribe({
      next: (saved) => {
        this.notifier.info('rules.editor.saved');
        this.fill(saved);
        if (!existing) {
          void this.router.navigate(['/rules', saved.id], { replaceUrl: true });
        }
      },
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 400) {
          const described = describeHttpError(error, (key, params) => this.i18n.t(key, params));
          this.errors.set(described.fieldErrors);
        }
        this.error.set(error);
      },
    });
  }

  protected openHistory(): void {
    const rule = this.rule();
    if (!rule) {
      return;
    }
    openSideSheet<RuleHistory, RuleHistoryData, Rule>(this.dialog, RuleHistory, {
      ruleId: rule.id,
      currentVersion: rule.version,
      canRestore: this.canEdit(),
    })
      .afterClosed()
      .subscribe((restored) => {
        if (restored) {
          this.fill(restored);
          this.notifier.info('rules.history.restored', { version: restored.version });
        }
      });
  }
}
