import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  type MatDialog,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogTitle,
} from '@angular/material/dialog';
import { type Observable, map } from 'rxjs';

import type { TranslationKey, TranslationParams } from '../i18n/i18n.types';
import { TranslatePipe } from '../i18n/translate.pipe';

export interface ConfirmDialogData {
  title: TranslationKey;
  text: TranslationKey;
  confirm: TranslationKey;
  /** Values for the placeholders of `title` and `text`. */
  params?: TranslationParams;
  /** Red confirm button, for actions that cannot be undone or cut someone off. */
  danger?: boolean;
}

/**
 * "Are you sure?" with Cancel (focused first, so Enter does not confirm by accident) and a
 * confirm button; closes with `true` only when confirmed.
 * Open it with `confirmAction(dialog, data)`.
 */
@Component({
  selector: 'app-confirm-dialog',
  imports: [MatButton, MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.title | t: data.params }}</h2>
    <mat-dialog-content>
      <p class="text">{{ data.text | t: data.params }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" data-testid="confirm-cancel">
        {{ 'common.cancel' | t }}
      </button>
      <button
        mat-flat-button
        type="button"
        data-testid="confirm-ok"
        [class.danger]="data.danger"
        [mat-dialog-close]="true"
      >
        {{ data.confirm | t }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .text {
      margin: 0;
      max-width: 52ch;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/** Asks the user to confirm; emits `true` (confirmed) or `false` (cancelled or dismissed), then completes. */
export function confirmAction(dialog: MatDialog, data: ConfirmDialogData): Observable<boolean> {
  return dialog
    .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data, width: '480px' })
    .afterClosed()
    .pipe(map((result) => result === true));
}
