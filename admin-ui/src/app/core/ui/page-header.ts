import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { TranslationKey } from '../i18n/i18n.types';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * The top of a feature page: title (h1), a one-line explanation, and the page's main actions
 * (projected) on the right; they wrap below on narrow screens.
 *
 * `<app-page-header title="users.title" subtitle="users.subtitle"><button …>…</button></app-page-header>`
 */
@Component({
  selector: 'app-page-header',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div>
      <h1 class="title">{{ title() | t }}</h1>
      @if (subtitle(); as subtitle) {
        <p class="subtitle">{{ subtitle | t }}</p>
      }
    </div>
    <div class="actions"><ng-content /></div>
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      justify-content: space-between;
      gap: 16px;
      margin-bottom: 24px;
    }
    .title {
      margin: 0;
      font: var(--mat-sys-headline-medium);
    }
    .subtitle {
      margin: 4px 0 0;
      max-width: 72ch;
      color: var(--mat-sys-on-surface-variant);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class PageHeader {
  readonly title = input.required<TranslationKey>();
  readonly subtitle = input<TranslationKey>();
}
