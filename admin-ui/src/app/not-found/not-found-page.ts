import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { RouterLink } from '@angular/router';

import { TranslatePipe } from '../core/i18n/translate.pipe';

/** Unknown console routes, and pages the user's role may not open (`data: { kind: 'forbidden' }`). */
@Component({
  selector: 'app-not-found-page',
  imports: [MatButton, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page" [attr.data-testid]="kind() === 'forbidden' ? 'forbidden-page' : 'not-found-page'">
      <p class="code" aria-hidden="true">{{ kind() === 'forbidden' ? 403 : 404 }}</p>
      <h1 class="title">{{ texts().title | t }}</h1>
      <p class="text">{{ texts().text | t }}</p>
      <a mat-flat-button routerLink="/dashboard" data-testid="not-found-home">{{ 'notFound.home' | t }}</a>
    </section>
  `,
  styles: `
    .page {
      max-width: 560px;
      margin: 48px auto;
      text-align: center;
    }
    .code {
      margin: 0;
      font: var(--mat-sys-display-large);
      color: var(--mat-sys-primary);
    }
    .title {
      font: var(--mat-sys-headline-medium);
    }
    .text {
      margin-bottom: 24px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export default class NotFoundPage {
  /** Route data. */
  readonly kind = input<'notFound' | 'forbidden'>('notFound');

  protected readonly texts = computed(() =>
    this.kind() === 'forbidden'
      ? ({ title: 'forbidden.title', text: 'forbidden.text' } as const)
      : ({ title: 'notFound.title', text: 'notFound.text' } as const),
  );
}
