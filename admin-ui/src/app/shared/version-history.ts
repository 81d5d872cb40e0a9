import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  type OnInit,
  TemplateRef,
  computed,
  contentChildren,
  inject,
  input,
  model,
  output,
  signal,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { type Observable, filter, finalize, switchMap } from 'rxjs';

import { describeHttpError } from '../core/api/problem-details';
import { I18nService } from '../core/i18n/i18n.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { confirmAction } from '../core/ui/confirm-dialog';
import { SideSheet } from './side-sheet';

/** What every saved version has. */
export interface HistoryVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

/** The words of a history sheet (dictionary keys; `version` and the confirmation take `{version}`). */
export interface VersionHistoryTexts {
  readonly title: TranslationKey;
  readonly version: TranslationKey;
  readonly current: TranslationKey;
  readonly system: TranslationKey;
  readonly empty: TranslationKey;
  readonly restore: TranslationKey;
  readonly confirm: {
    readonly title: TranslationKey;
    readonly text: TranslationKey;
    readonly confirm: TranslationKey;
  };
}

/**
 * More content for each version row: `actions` (buttons before «restore»), `after` (below the buttons).
 * `<ng-template appVersionSlot="actions" let-version>`.
 */
@Directive({ selector: 'ng-template[appVersionSlot]' })
export class VersionSlot {
  readonly place = input.required<'actions' | 'after'>({ alias: 'appVersionSlot' });
  readonly template = inject<TemplateRef<{ $implicit: HistoryVersion }>>(TemplateRef);

  static ngTemplateContextGuard(
    _slot: VersionSlot,
    _context: unknown,
  ): _context is { $implicit: HistoryVersion } {
    return true;
  }
}

/**
 * The versions of a document, newest first, in a side sheet (open it with `openSideSheet`): the number, «now»
 * on the current one, when and by whom (and the page's `note`), the page's `details` line, and for those who may,
 * a restore button that asks first, then restores (`restoreWith`) and reports the result (`restored`; the page
 * closes the sheet with it). Loading and restoring show a progress bar; a failure (also one the page puts into
 * `error`) is shown in words. Test ids start with `testPrefix`: `<p>-history-sheet`, `<p>-version-row`, …
 */
@Component({
  selector: 'app-version-history',
  imports: [MatButton, MatProgressBar, NgTemplateOutlet, LocalDatePipe, TranslatePipe, SideSheet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let words = texts();
    @let prefix = testPrefix();
    <app-side-sheet [attr.data-testid]="prefix + '-history-sheet'">
      <div sheetTitle>
        <h2 class="title">{{ words.title | t }}</h2>
      </div>
      @if (loading() || restoring() !== null) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (errorMessage(); as message) {
        <p class="alert" role="alert" [attr.data-testid]="prefix + '-history-error'">{{ message }}</p>
      }
      <ol class="versions">
        @for (version of versions(); track version.version) {
          <li
            class="version"
            [attr.data-testid]="prefix + '-version-row'"
            [attr.data-version]="version.version"
          >
            <div class="head">
              <strong>{{ words.version | t: { version: version.version } }}</strong>
              @if (version.version === currentVersion()) {
                <span class="badge" [attr.data-testid]="prefix + '-version-current'">{{
                  words.current | t
                }}</span>
              }
            </div>
            <div class="muted">
              {{ version.createdAt | localDate }} · {{ version.createdBy ?? (words.system | t) }}
              @if (note()(version); as note) {
                · {{ note }}
              }
            </div>
            @if (details()(version); as details) {
              <div class="muted">{{ details }}</div>
            }
            <div class="buttons">
              @for (slot of slotsAt('actions'); track slot) {
                <ng-container *ngTemplateOutlet="slot.template; context: { $implicit: version }" />
              }
              @if (canRestore() && version.version !== currentVersion() && restorable()(version)) {
                <button
                  mat-stroked-button
                  type="button"
                  [attr.data-testid]="prefix + '-version-restore'"
                  [disabled]="restoring() !== null"
                  (click)="restore(version)"
                >
                  {{ words.restore | t }}
                </button>
              }
            </div>
            @for (slot of slotsAt('after'); track slot) {
              <ng-container *ngTemplateOutlet="slot.template; context: { $implicit: version }" />
            }
          </li>
        } @empty {
          @if (!loading()) {
            <li class="muted">{{ words.empty | t }}</li>
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
    .buttons:empty {
      display: none;
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
})
export class VersionHistory<V extends HistoryVersion, R> implements OnInit {
  private readonly dialog = inject(MatDialog);
  private readonly i18n = inject(I18nService);

  readonly testPrefix = input.required<string>();
  readonly texts = input.required<VersionHistoryTexts>();
  /** Asks for the versions (once, when the sheet opens). */
  readonly load = input.required<() => Observable<{ items: V[] }>>();
  /** Brings version `n` back (saved as a new version by the server). */
  readonly restoreWith = input.required<(version: number) => Observable<R>>();
  readonly currentVersion = input.required<number>();
  /** Whether the user may restore at all (admins). */
  readonly canRestore = input(false);
  /** Whether this version can be restored (e.g. not a record of a deletion). */
  readonly restorable = input<(version: V) => boolean>(() => true);
  /** Words after «when · who» («· <note>»), or null. */
  readonly note = input<(version: V) => string | null>(() => null);
  /** A second line under «when · who», or null. */
  readonly details = input<(version: V) => string | null>(() => null);
  /** The failure shown (load, restore, or one the page reports); cleared when a restore starts. */
  readonly error = model<unknown>(null);
  readonly restored = output<R>();

  private readonly slots = contentChildren(VersionSlot);
  protected readonly versions = signal<V[]>([]);
  protected readonly loading = signal(true);
  protected readonly restoring = signal<number | null>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.error();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });

  ngOnInit(): void {
    this.load()()
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (page) => this.versions.set(page.items),
        error: (error: unknown) => this.error.set(error),
      });
  }

  protected slotsAt(place: 'actions' | 'after'): VersionSlot[] {
    return this.slots().filter((slot) => slot.place() === place);
  }

  protected restore(version: V): void {
    const words = this.texts().confirm;
    confirmAction(this.dialog, { ...words, params: { version: version.version } })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.restoring.set(version.version);
          this.error.set(null);
          return this.restoreWith()(version.version).pipe(finalize(() => this.restoring.set(null)));
        }),
      )
      .subscribe({
        next: (restored) => this.restored.emit(restored),
        error: (error: unknown) => this.error.set(error),
      });
  }
}
