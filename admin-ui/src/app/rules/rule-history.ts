import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { filter, finalize, switchMap } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { confirmAction } from '../core/ui/confirm-dialog';
import { SideSheet } from '../shared/side-sheet';
import { RulesApi } from './rules-api';
import type { Rule, RuleChange, RuleVersionView } from './rules.models';

export interface RuleHistoryData {
  ruleId: string;
  currentVersion: number;
  canRestore: boolean;
}

/**
 * The versions of a rule, newest first, in a side sheet: who and when, what changed (by path, before → after),
 * and for admins «Вернуть эту версию» after a confirmation (saved as a new version; the sheet closes with it).
 */
@Component({
  selector: 'app-rule-history',
  imports: [MatButton, MatProgressBar, LocalDatePipe, TranslatePipe, SideSheet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-side-sheet data-testid="rule-history-sheet">
      <div sheetTitle>
        <h2 class="title">{{ 'rules.history.title' | t }}</h2>
      </div>
      @if (loading() || restoring() !== null) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (errorMessage(); as message) {
        <p class="alert" role="alert" data-testid="rule-history-error">{{ message }}</p>
      }
      <ol class="versions">
        @for (version of versions(); track version.version) {
          <li class="version" data-testid="rule-version-row" [attr.data-version]="version.version">
            <div class="head">
              <strong>{{ 'rules.history.version' | t: { version: version.version } }}</strong>
              @if (version.version === data.currentVersion) {
                <span class="badge">{{ 'rules.history.current' | t }}</span>
              }
            </div>
            <div class="muted">
              {{ version.createdAt | localDate }} · {{ version.createdBy ?? ('rules.history.system' | t) }} ·
              {{ version.document?.name ?? ('rules.history.deletedVersion' | t) }}
            </div>
            <div class="buttons">
              @if (version.version > 1) {
                <button
                  mat-button
                  type="button"
                  data-testid="rule-version-diff"
                  (click)="showDiff(version.version)"
                >
                  {{ 'rules.history.showDiff' | t }}
                </button>
              }
              @if (data.canRestore && version.version !== data.currentVersion && version.document) {
                <button
                  mat-stroked-button
                  type="button"
                  data-testid="rule-version-restore"
                  [disabled]="restoring() !== null"
                  (click)="restore(version)"
                >
                  {{ 'rules.history.restore' | t }}
                </button>
              }
            </div>
            @if (diffs()[version.version]; as changes) {
              <ul class="changes" data-testid="rule-version-changes">
                @for (change of changes; track change.path) {
                  <li>
                    <code>{{ change.path }}</code>: <span class="before">{{ show(change, 'before') }}</span> →
                    <span class="after">{{ show(change, 'after') }}</span>
                  </li>
                } @empty {
                  <li class="muted">{{ 'rules.history.noChanges' | t }}</li>
                }
              </ul>
            }
          </li>
        } @empty {
          @if (!loading()) {
            <li class="muted">{{ 'rules.history.empty' | t }}</li>
          }
        }
      </ol>
    </app-side-sheet>
  `,
  styles: `
    .title {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .versions,
    .changes {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .version {
      display: grid;
      gap: 4px;
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .head,
    .buttons {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .badge {
      padding: 2px 8px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-label-small);
    }
    .changes li {
      padding: 2px 0;
      word-break: break-word;
    }
    .before {
      color: var(--mat-sys-error);
    }
    .after {
      color: var(--mat-sys-primary);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .alert {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
})
export class RuleHistory {
  private readonly api = inject(RulesApi);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly ref = inject<MatDialogRef<RuleHistory, Rule>>(MatDialogRef);
  protected readonly data = inject<RuleHistoryData>(MAT_DIALOG_DATA);

  protected readonly versions = signal<RuleVersionView[]>([]);
  protected readonly diffs = signal<Record<number, RuleChange[]>>({});
  protected readonly loading = signal(true);
  protected readonly restoring = signal<number | null>(null);
  private readonly error = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  constructor() {
    this.api
      .versions(this.data.ruleId)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (page) => this.versions.set(page.items),
        error: (error: unknown) => this.error.set(error),
      });
  }

  protected show(change: RuleChange, side: 'before' | 'after'): string {
    if (!Object.hasOwn(change, side)) {
      return this.i18n.t(side === 'before' ? 'rules.history.added' : 'rules.history.removed');
    }
    return JSON.stringify(change[side]) ?? '';
  }

  protected showDiff(version: number): void {
    this.api.diff(this.data.ruleId, version).subscribe({
      next: (diff) => this.diffs.update((all) => ({ ...all, [version]: diff.changes })),
      error: (error: unknown) => this.error.set(error),
    });
  }

  protected restore(version: RuleVersionView): void {
    confirmAction(this.dialog, {
      title: 'rules.history.confirm.title',
      text: 'rules.history.confirm.text',
      confirm: 'rules.history.confirm.confirm',
      params: { version: version.version },
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.restoring.set(version.version);
          this.error.set(null);
          return this.api
            .restore(this.data.ruleId, version.version)
            .pipe(finalize(() => this.restoring.set(null)));
        }),
      )
      .subscribe({
        next: (restored) => this.ref.close(restored),
        error: (error: unknown) => this.error.set(error),
      });
  }
}
