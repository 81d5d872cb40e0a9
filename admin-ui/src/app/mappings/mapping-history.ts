import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { filter, finalize, switchMap } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { confirmAction } from '../core/ui/confirm-dialog';
import { SideSheet } from '../shared/side-sheet';
import { MappingsApi } from './mappings-api';
import type { MappingDirection, MappingVersionView } from './mappings.models';

export interface MappingHistoryData {
  projectId: number;
  direction: MappingDirection;
  currentVersion: number;
  canRestore: boolean;
}

/** Why a version was made, in words: `default`, `save`, `restore:<n>`. */
export function originText(
  origin: string,
  t: (key: TranslationKey, params?: Record<string, string | number>) => string,
): string {
  const restored = /^restore:(\d+)$/.exec(origin);
  if (restored) {
    return t('mappings.history.origins.restore', { version: restored[1] ?? '' });
  }
  if (origin === 'default' || origin === 'save') {
    return t(`mappings.history.origins.${origin}`);
  }
  return origin;
}

/**
 * The versions of a mapping, newest first, in a side sheet: who saved each and when, and why it was
 * made. Admins bring an older one back («Восстановить», after a confirmation): it is saved as a new
 * version, and the sheet closes with it.
 */
@Component({
  selector: 'app-mapping-history',
  imports: [MatButton, MatProgressBar, LocalDatePipe, TranslatePipe, SideSheet],
  template: `
    <app-side-sheet data-testid="mapping-history-sheet">
      <div sheetTitle>
        <h2 class="title">{{ 'mappings.history.title' | t }}</h2>
      </div>
      @if (loading() || restoring() !== null) {
        <mat-progress-bar class="progress" mode="indeterminate" />
      }
      @if (errorMessage(); as message) {
        <p class="alert" role="alert" data-testid="mapping-history-error">{{ message }}</p>
      }
      <ol class="versions">
        @for (version of versions(); track version.version) {
          <li class="version" data-testid="mapping-version-row" [attr.data-version]="version.version">
            <div class="head">
              <strong>{{ 'mappings.history.version' | t: { version: version.version } }}</strong>
              @if (version.version === data.currentVersion) {
                <span class="badge" data-testid="mapping-version-current">{{
                  'mappings.history.current' | t
                }}</span>
              }
            </div>
            <div class="muted">
              {{ version.createdAt | localDate }} · {{ version.createdBy ?? ('mappings.history.system' | t) }}
            </div>
            <div class="muted">
              {{ origin(version.origin) }} ·
              {{ 'mappings.history.lines' | t: { count: version.document.lines.length } }}
            </div>
            @if (data.canRestore && version.version !== data.currentVersion) {
              <button
                mat-stroked-button
                type="button"
                data-testid="mapping-version-restore"
                [disabled]="restoring() !== null"
                (click)="restore(version)"
              >
                {{ 'mappings.history.restore' | t }}
              </button>
            }
          </li>
        } @empty {
          @if (!loading()) {
            <li class="muted">{{ 'mappings.history.empty' | t }}</li>
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
    .versions {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .version {
      display: grid;
      gap: 4px;
      justify-items: start;
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .head {
      display: flex;
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
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MappingHistory {
  private readonly api = inject(MappingsApi);
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);
  private readonly ref = inject<MatDialogRef<MappingHistory, MappingVersionView>>(MatDialogRef);
  protected readonly data = inject<MappingHistoryData>(MAT_DIALOG_DATA);

  protected readonly versions = signal<MappingVersionView[]>([]);
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
      .versions(this.data.projectId, this.data.direction)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (page) => this.versions.set(page.items),
        error: (error: unknown) => this.error.set(error),
      });
  }

  protected origin(origin: string): string {
    return originText(origin, (key, params) => this.i18n.t(key, params));
  }

  protected restore(version: MappingVersionView): void {
    confirmAction(this.dialog, {
      title: 'mappings.history.confirm.title',
      text: 'mappings.history.confirm.text',
      confirm: 'mappings.history.confirm.confirm',
      params: { version: version.version },
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.restoring.set(version.version);
          this.error.set(null);
          return this.api
            .restore(this.data.projectId, this.data.direction, version.version)
            .pipe(finalize(() => this.restoring.set(null)));
        }),
      )
      .subscribe({
        next: (restored) => this.ref.close(restored),
        error: (error: unknown) => this.error.set(error),
      });
  }
}
