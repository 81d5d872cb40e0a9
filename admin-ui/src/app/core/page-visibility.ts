import { DOCUMENT, DestroyRef, type Signal, inject, signal } from '@angular/core';

/**
 * Whether the browser tab is visible (`document.visibilityState`), as a signal that follows
 * `visibilitychange` until the caller is destroyed. Call in an injection context.
 */
export function pageVisible(): Signal<boolean> {
  const document = inject(DOCUMENT);
  const visible = signal(document.visibilityState !== 'hidden');
  const listener = (): void => visible.set(document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', listener);
  inject(DestroyRef).onDestroy(() => document.removeEventListener('visibilitychange', listener));
  return visible.asReadonly();
}
