import type { ComponentType } from '@angular/cdk/portal';
import { ChangeDetectionStrategy, Component, ViewEncapsulation } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { type MatDialog, MatDialogClose, type MatDialogRef } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';

import { TranslatePipe } from '../core/i18n/translate.pipe';

/**
 * Opens `component` as a side sheet: a full-height panel on the right (the whole width on a phone),
 * for record details next to a list. Lay the component out with `<app-side-sheet>`.
 */
export function openSideSheet<C, D, R = unknown>(
  dialog: MatDialog,
  component: ComponentType<C>,
  data: D,
): MatDialogRef<C, R> {
  return dialog.open<C, D, R>(component, {
    data,
    position: { top: '0', right: '0' },
    width: '560px',
    maxWidth: '100vw',
    height: '100%',
    maxHeight: '100%',
    panelClass: 'app-side-sheet-panel',
    autoFocus: 'dialog',
  });
}

/**
 * The frame of a side sheet: a header (`[sheetTitle]` content and a close button), the body
 * (scrolls) and an optional footer (`[sheetActions]`).
 */
@Component({
  selector: 'app-side-sheet',
  imports: [MatIconButton, MatIcon, MatDialogClose, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The panel's shape lives outside this component (in the overlay), hence no encapsulation;
  // every selector is prefixed with `app-side-sheet`.
  encapsulation: ViewEncapsulation.None,
  template: `
    <header class="app-side-sheet-header">
      <div class="app-side-sheet-title"><ng-content select="[sheetTitle]" /></div>
      <button
        mat-icon-button
        type="button"
        mat-dialog-close
        data-testid="side-sheet-close"
        [attr.aria-label]="'common.close' | t"
      >
        <mat-icon svgIcon="close" />
      </button>
    </header>
    <div class="app-side-sheet-body"><ng-content /></div>
    <ng-content select="[sheetActions]" />
  `,
  styles: `
    .app-side-sheet-panel {
      --mat-dialog-container-shape: 16px 0 0 16px;
      --mat-dialog-container-max-width: 100vw;
    }
    .app-side-sheet-panel .mat-mdc-dialog-surface {
      border-radius: 16px 0 0 16px;
    }
    @media (max-width: 599.98px) {
      .app-side-sheet-panel .mat-mdc-dialog-surface {
        border-radius: 0;
      }
    }
    app-side-sheet {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
    }
    .app-side-sheet-header {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 16px 12px 12px 24px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .app-side-sheet-title {
      flex: 1;
      min-width: 0;
    }
    .app-side-sheet-body {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      padding: 16px 24px 24px;
    }
  `,
})
export class SideSheet {}
