import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';

import { TranslatePipe } from '../i18n/translate.pipe';
import { ThemeService } from './theme.service';

/** Toolbar button switching between the dark (default) and the light colour scheme. */
@Component({
  selector: 'app-theme-toggle',
  imports: [MatIconButton, MatIcon, MatTooltip, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-icon-button
      type="button"
      data-testid="theme-toggle"
      [attr.data-theme]="theme.mode()"
      [attr.aria-label]="label() | t"
      [matTooltip]="label() | t"
      (click)="theme.toggle()"
    >
      <mat-icon [svgIcon]="theme.mode() === 'dark' ? 'light_mode' : 'dark_mode'" />
    </button>
  `,
})
export class ThemeToggle {
  protected readonly theme = inject(ThemeService);
  protected readonly label = computed(() =>
    this.theme.mode() === 'dark' ? 'theme.toLight' : 'theme.toDark',
  );
}
