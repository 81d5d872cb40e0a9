import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { type Observable, catchError, of, tap, throwError } from 'rxjs';

import { AuthService } from '../auth/auth.service';
import { AmocrmApi } from './amocrm-api';
import type { AmocrmConnection } from './amocrm.models';

/** Where the console shows the amoCRM connection (the OAuth callback comes back here too). */
export const AMOCRM_PAGE_PATH = '/connections/amocrm';

interface Entry {
  /** The user (and workspace) it was read for: another sign-in never sees it. */
  key: string;
  connection: AmocrmConnection | null;
  /** The server refused to show it to this role (403). */
  forbidden: boolean;
}

/**
 * The workspace's amoCRM connection, shared by the banner in the shell (which polls it), the
 * dashboard card and the connection page (which puts every answer it gets here, so the banner
 * follows at once).
 */
@Injectable({ providedIn: 'root' })
export class AmocrmConnectionState {
  private readonly api = inject(AmocrmApi);
  private readonly auth = inject(AuthService);
  private readonly entry = signal<Entry | null>(null);

  private readonly userKey = computed(() => {
    const user = this.auth.user();
    return user ? `${user.id}:${user.workspaceId}:${user.role}` : null;
  });
  private readonly current = computed(() => {
    const entry = this.entry();
    return entry?.key === this.userKey() ? entry : null;
  });

  /** The last known connection, `null` before the first answer. */
  readonly connection = computed(() => this.current()?.connection ?? null);
  /** True when this user's role may not read the connection (the server answered 403). */
  readonly forbidden = computed(() => this.current()?.forbidden === true);
  readonly status = computed(() => this.connection()?.status ?? null);

  /** Reads the connection; a 403 is remembered as `forbidden` (and answered with `null`). */
  load(): Observable<AmocrmConnection | null> {
    return this.api.connection().pipe(
      tap((connection) => this.set(connection)),
      catchError((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 403) {
          this.store({ connection: null, forbidden: true });
          return of(null);
        }
        return throwError(() => error);
      }),
    );
  }

  /** Like `load()`, but never fails: a failed poll keeps the last known state. */
  poll(): Observable<AmocrmConnection | null> {
    return this.load().pipe(catchError(() => of(this.connection())));
  }

  set(connection: AmocrmConnection): void {
    this.store({ connection, forbidden: false });
  }

  private store(value: Omit<Entry, 'key'>): void {
    const key = this.userKey();
    if (key !== null) {
      this.entry.set({ key, ...value });
    }
  }
}
