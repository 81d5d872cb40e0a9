import { signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Subject, debounceTime, distinctUntilChanged } from 'rxjs';

/**
 * The text of a list's search field: shown at once as typed, applied (trimmed) once typing pauses
 * for `debounceMs`. Create it in an injection context (a field or the constructor).
 */
export class SearchBox {
  private readonly typed = new Subject<string>();
  private readonly textState = signal('');
  readonly text = this.textState.asReadonly();

  constructor(debounceMs: number, apply: (search: string) => void) {
    this.typed
      .pipe(debounceTime(debounceMs), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((search) => apply(search.trim()));
  }

  /** The user typed `value`. */
  type(value: string): void {
    this.textState.set(value);
    this.typed.next(value);
  }

  clear(): void {
    this.type('');
  }

  /** Shows a search that came from elsewhere (the address) without applying it again. */
  show(value: string): void {
    this.textState.set(value);
  }
}
