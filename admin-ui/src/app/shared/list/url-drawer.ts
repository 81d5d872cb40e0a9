import type { ComponentType } from '@angular/cdk/portal';
import { DestroyRef, type Signal, effect, inject, signal, untracked } from '@angular/core';
import { MatDialog, type MatDialogRef } from '@angular/material/dialog';
import { Router } from '@angular/router';

import { openSideSheet } from '../side-sheet';

export interface UrlDrawerOptions<C, D, T> {
  /** The page's `?open=<id>` input: the record shown in the side sheet. */
  open: Signal<string | undefined>;
  component: ComponentType<C>;
  /** The side sheet's data for a record (`initial`: the list's row, shown while the record loads). */
  data: (id: string, initial: T | undefined) => D;
  /** The list's row for an id, if it is on the page. */
  find: (id: string) => T | undefined;
  /** Wider than the default side sheet (e.g. `720px`). */
  width?: string;
}

/**
 * The side sheet of a list page that follows `?open=<id>`: opening a row writes the id into the
 * address, a link or back/forward opens or closes the sheet, closing it by hand removes the id,
 * leaving the page closes it. Create it in an injection context with {@link urlDrawer}.
 */
export class UrlDrawer<C, D, T> {
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly openIdState = signal<string | null>(null);
  private current: { id: string; ref: MatDialogRef<C> } | null = null;
  private destroyed = false;

  /** The id of the record in the side sheet (`null`: closed). */
  readonly openId = this.openIdState.asReadonly();

  constructor(private readonly options: UrlDrawerOptions<C, D, T>) {
    effect(() => {
      const id = options.open();
      untracked(() => this.follow(id ?? null));
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.current?.ref.close();
    });
  }

  /** Opens a record (a row clicked) and puts its id in the address. */
  show(id: string, initial?: T): void {
    this.openSheet(id, initial ?? this.options.find(id));
    this.navigate(id);
  }

  /** Puts another record's id in the address (a link inside the side sheet); the sheet follows. */
  navigate(id: string): void {
    void this.router.navigate([], { queryParams: { open: id }, queryParamsHandling: 'merge' });
  }

  private follow(id: string | null): void {
    if (id === null) {
      this.current?.ref.close();
    } else if (this.current?.id !== id) {
      this.openSheet(id, this.options.find(id));
    }
  }

  private openSheet(id: string, initial: T | undefined): void {
    if (this.current?.id === id) {
      return;
    }
    this.current?.ref.close();
    const ref = openSideSheet<C, D>(this.dialog, this.options.component, this.options.data(id, initial));
    if (this.options.width) {
      ref.updateSize(this.options.width, '100%');
    }
    this.current = { id, ref };
    this.openIdState.set(id);
    ref.afterClosed().subscribe(() => {
      if (this.current?.ref !== ref) {
        return;
      }
      this.current = null;
      this.openIdState.set(null);
      // Closed by hand: drop `?open=` from the address. Not when a link in the sheet is leaving the page.
      if (!this.destroyed && this.router.currentNavigation() === null && this.options.open() === id) {
        void this.router.navigate([], {
          queryParams: { open: null },
          queryParamsHandling: 'merge',
          replaceUrl: true,
        });
      }
    });
  }
}

/** A {@link UrlDrawer} for the calling list page (call it in an injection context). */
export function urlDrawer<C, D, T>(options: UrlDrawerOptions<C, D, T>): UrlDrawer<C, D, T> {
  return new UrlDrawer<C, D, T>(options);
}
