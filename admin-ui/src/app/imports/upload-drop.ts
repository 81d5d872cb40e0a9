import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';

import { TranslatePipe } from '../core/i18n/translate.pipe';

/** Default IMPORT_MAX_MB of the server (shown in the hint; the server's own limit decides). */
const DEFAULT_MAX_MB = 50;

/**
 * The upload area: drop a file on it, or press the button (keyboard) to pick one. Emits the file; the page
 * uploads it and passes back `busy` and a readable `error`.
 */
@Component({
  selector: 'app-upload-drop',
  imports: [MatButton, MatIcon, MatProgressBar, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section
      class="drop"
      data-testid="import-drop"
      [class.over]="over()"
      (dragenter)="onDrag($event, true)"
      (dragover)="onDrag($event, true)"
      (dragleave)="onDrag($event, false)"
      (drop)="onDrop($event)"
      [attr.aria-busy]="busy()"
    >
      <mat-icon svgIcon="upload_file" class="big" aria-hidden="true" />
      <h2 class="title">{{ 'imports.drop.title' | t }}</h2>
      <p class="hint">{{ 'imports.drop.hint' | t: { mb: maxMb } }}</p>
      <input
        #picker
        type="file"
        class="hidden"
        accept=".xlsx,.xls,.csv"
        data-testid="import-file-input"
        (change)="onPick(picker)"
      />
      <button
        mat-flat-button
        type="button"
        data-testid="import-choose"
        [disabled]="busy()"
        (click)="picker.click()"
      >
        {{ 'imports.drop.choose' | t }}
      </button>
      @if (busy(); as name) {
        <p class="hint" role="status">{{ 'imports.drop.uploading' | t: { name } }}</p>
        <mat-progress-bar mode="indeterminate" />
      }
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="import-upload-error">{{ message }}</p>
      }
    </section>
  `,
  styles: `
    .drop {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 32px 16px;
      border: 2px dashed var(--mat-sys-outline);
      border-radius: 16px;
      text-align: center;
      transition: background-color 120ms;
    }
    .drop.over {
      border-color: var(--mat-sys-primary);
      background: color-mix(in srgb, var(--mat-sys-primary) 10%, transparent);
    }
    .big {
      width: 48px;
      height: 48px;
      color: var(--mat-sys-primary);
    }
    .title {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .hint {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .hidden {
      display: none;
    }
    .error {
      margin: 0;
      max-width: 60ch;
      color: var(--mat-sys-error);
    }
    mat-progress-bar {
      max-width: 320px;
    }
  `,
})
export class UploadDrop {
  /** The name of the file being uploaded, or `null`. */
  readonly busy = input<string | null>(null);
  readonly error = input<string | null>(null);
  readonly picked = output<File>();

  protected readonly over = signal(false);
  protected readonly maxMb = DEFAULT_MAX_MB;

  protected onDrag(event: DragEvent, over: boolean): void {
    event.preventDefault();
    this.over.set(over);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    const file = event.dataTransfer?.files.item(0);
    if (file && !this.busy()) this.picked.emit(file);
  }

  protected onPick(picker: HTMLInputElement): void {
    const file = picker.files?.item(0);
    picker.value = '';
    if (file) this.picked.emit(file);
  }
}
