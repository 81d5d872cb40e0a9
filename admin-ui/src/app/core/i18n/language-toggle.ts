import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';

import { I18nService } from './i18n.service';
import { TranslatePipe } from './translate.pipe';

/** Toolbar button: shows the current language and switches RU ⇄ EN. */
@Component({
  selector: 'app-language-toggle',
  imports: [MatButton, MatIcon, MatTooltip, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      mat-button
      type="button"
      data-testid="language-toggle"
      [attr.aria-label]="'language.switch' | t"
      [matTooltip]="'language.switch' | t"
      (click)="i18n.toggle()"
    >
      <mat-icon svgIcon="translate" />
      {{ 'language.current' | t }}
    </button>
  `,
})
export class LanguageToggle {
  protected readonly i18n = inject(I18nService);
}
