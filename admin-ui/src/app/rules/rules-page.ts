import {
  CdkDrag,
  CdkDragHandle,
  type CdkDragDrop,
  CdkDropList,
  moveItemInArray,
} from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatTooltip } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { type Observable, filter, finalize } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { confirmAction } from '../core/ui/confirm-dialog';
import { PageHeader } from '../core/ui/page-header';
import { openSideSheet } from '../shared/side-sheet';
import { RuleHistory, type RuleHistoryData } from './rule-history';
import { RulesApi } from './rules-api';
import type { Rule, RuleListItem } from './rules.models';

/**
 * `/rules`: the rules in running order. Admins change the order by dragging a row or with «Выше»/«Ниже»
 * (keyboard), turn rules on and off, copy, delete (after a confirmation), download and upload the rule set.
 */
@Component({
  selector: 'app-rules-page',
  imports: [
    RouterLink,
    CdkDropList,
    CdkDrag,
    CdkDragHandle,
    MatButton,
    MatIconButton,
    MatIcon,
    MatCheckbox,
    MatSlideToggle,
    MatProgressBar,
    MatTooltip,
    PageHeader,
    TranslatePipe,
    LocalDatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rules-page.html',
  styleUrl: './rules-page.scss',
})
export default class RulesPage {
  private readonly api = inject(RulesApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  protected readonly canEdit = computed(() => this.auth.user() !== null && this.auth.hasRole(['admin']));
  protected readonly rules = signal<RuleListItem[]>([]);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly replace = signal(false);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.api
      .list()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (page) => this.rules.set(page.items),
        error: (error: unknown) => this.error.set(error),
      });
  }

  protected trigger(rule: Rule): string {
    const events = rule.trigger.events
      .map((event) => this.i18n.t(`rules.events.${event.replace('.', '_') as 'lead_created'}`))
      .join(', ');
    return `${this.i18n.t(`rules.sources.${rule.trigger.source}`)}: ${events}`;
  }

  protected dropped(event: CdkDragDrop<RuleListItem[]>): void {
    if (event.previousIndex !== event.currentIndex) {
      this.moveTo(event.previousIndex, event.currentIndex);
    }
  }

  protected move(index: number, by: -1 | 1): void {
    this.moveTo(index, index + by);
  }

  private moveTo(from: number, to: number): void {
    const before = this.rules();
    const next = [...before];
    moveItemInArray(next, from, to);
    this.rules.set(next);
    this.run(
      this.api.reorder(next.map((rule) => rule.id)),
      (saved) => {
        // the reorder answers the rules without their activity: keep what the list showed
        const shown = new Map(before.map((rule) => [rule.id, rule]));
        this.rules.set(
          saved.map((rule) => ({ lastFiredAt: null, matches24h: 0, ...shown.get(rule.id), ...rule })),
        );
        this.notifier.info('rules.list.reordered');
      },
      () => this.rules.set(before),
    );
  }

  protected toggle(rule: Rule, enabled: boolean): void {
    this.run(
      this.api.setEnabled(rule.id, enabled),
      (saved) => this.replaceRule(saved),
      () => this.load(),
    );
  }

  protected duplicate(rule: Rule): void {
    this.run(this.api.duplicate(rule.id), () => {
      this.notifier.info('rules.list.duplicated');
      this.load();
    });
  }

  protected remove(rule: Rule): void {
    confirmAction(this.dialog, {
      title: 'rules.list.confirmDelete.title',
      text: 'rules.list.confirmDelete.text',
      confirm: 'rules.list.confirmDelete.confirm',
      params: { name: rule.name },
      danger: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() =>
        this.run(this.api.remove(rule.id), () => {
          this.notifier.info('rules.list.deleted');
          this.rules.update((rules) => rules.filter((item) => item.id !== rule.id));
        }),
      );
  }

  protected history(rule: Rule): void {
    openSideSheet<RuleHistory, RuleHistoryData, Rule>(this.dialog, RuleHistory, {
      ruleId: rule.id,
      currentVersion: rule.version,
      canRestore: this.canEdit(),
    })
      .afterClosed()
      .subscribe((restored) => {
        if (restored) {
          this.notifier.info('rules.history.restored', { version: restored.version });
          this.load();
        }
      });
  }

  protected download(): void {
    this.run(this.api.exportSet(), (set) => {
      const blob = new Blob([JSON.stringify(set, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `rules-${set.exportedAt.slice(0, 10)}.json`;
      link.click();
      URL.revokeObjectURL(url);
    });
  }

  protected upload(input: HTMLInputElement): void {
    const file = input.files?.[0];
    input.value = '';
    if (!file) {
      return;
    }
    void file.text().then((text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        this.notifier.info('rules.importBadFile');
        return;
      }
      this.run(this.api.importSet(parsed, this.replace() ? 'replace' : 'append'), (result) => {
        this.notifier.info('rules.imported', { count: result.created.length });
        this.load();
      });
    });
  }

  private replaceRule(saved: Rule): void {
    this.rules.update((rules) => rules.map((rule) => (rule.id === saved.id ? { ...rule, ...saved } : rule)));
  }

  private run<T>(request: Observable<T>, next: (value: T) => void, failed?: () => void): void {
    this.busy.set(true);
    this.error.set(null);
    request.pipe(finalize(() => this.busy.set(false))).subscribe({
      next,
      error: (error: unknown) => {
        this.error.set(error);
        failed?.();
      },
    });
  }
}
