import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';

import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { VersionHistory, type VersionHistoryTexts, VersionSlot } from '../shared/version-history';
import { RulesApi } from './rules-api';
import type { Rule, RuleChange, RuleVersionView } from './rules.models';

export interface RuleHistoryData {
  ruleId: string;
  currentVersion: number;
  canRestore: boolean;
}

const TEXTS: VersionHistoryTexts = {
  title: 'rules.history.title',
  version: 'rules.history.version',
  current: 'rules.history.current',
  system: 'rules.history.system',
  empty: 'rules.history.empty',
  restore: 'rules.history.restore',
  confirm: {
    title: 'rules.history.confirm.title',
    text: 'rules.history.confirm.text',
    confirm: 'rules.history.confirm.confirm',
  },
};

/**
 * The versions of a rule, newest first, in a side sheet: who and when, what changed (by path, before → after),
 * and for admins «Вернуть эту версию» after a confirmation (saved as a new version; the sheet closes with it).
 */
@Component({
  selector: 'app-rule-history',
  imports: [MatButton, TranslatePipe, VersionHistory, VersionSlot],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-version-history
      testPrefix="rule"
      [texts]="texts"
      [load]="load"
      [restoreWith]="restoreWith"
      [currentVersion]="data.currentVersion"
      [canRestore]="data.canRestore"
      [restorable]="restorable"
      [note]="note"
      [(error)]="error"
      (restored)="ref.close($event)"
    >
      <ng-template appVersionSlot="actions" let-version>
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
      </ng-template>
      <ng-template appVersionSlot="after" let-version>
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
      </ng-template>
    </app-version-history>
  `,
  styles: `
    .changes {
      margin: 0;
      padding: 0;
      list-style: none;
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
  `,
})
export class RuleHistory {
  private readonly api = inject(RulesApi);
  private readonly i18n = inject(I18nService);
  protected readonly ref = inject<MatDialogRef<RuleHistory, Rule>>(MatDialogRef);
  protected readonly data = inject<RuleHistoryData>(MAT_DIALOG_DATA);

  protected readonly texts = TEXTS;
  protected readonly diffs = signal<Record<number, RuleChange[]>>({});
  /** What went wrong last (shown by the sheet; a failed «what changed» too). */
  protected readonly error = signal<unknown>(null);
  protected readonly load = () => this.api.versions(this.data.ruleId);
  protected readonly restoreWith = (version: number) => this.api.restore(this.data.ruleId, version);
  /** A version that records the rule's deletion cannot be brought back. */
  protected readonly restorable = (version: RuleVersionView): boolean => version.document !== null;
  /** The rule's name in that version. */
  protected readonly note = (version: RuleVersionView): string =>
    version.document?.name ?? this.i18n.t('rules.history.deletedVersion');

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
}
