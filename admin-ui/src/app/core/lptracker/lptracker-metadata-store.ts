import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { type Observable, finalize, tap } from 'rxjs';

import { LptrackerApi } from './lptracker-api';
import type { LptrackerMetadata } from './lptracker.models';

/**
 * The cached LPTracker metadata of the enabled projects, shared by the connection page and (later)
 * the mapping editor. A 404 means "none yet" (not connected, or never fetched), not an error.
 */
@Injectable({ providedIn: 'root' })
export class LptrackerMetadataStore {
  private readonly api = inject(LptrackerApi);

  readonly metadata = signal<LptrackerMetadata | null>(null);
  readonly loading = signal(false);
  readonly error = signal<unknown>(null);

  load(): Observable<LptrackerMetadata> {
    return this.track(this.api.metadata());
  }

  /** Asks LPTracker again (admins); the answer replaces what is shown. */
  refresh(): Observable<LptrackerMetadata> {
    return this.track(this.api.refreshMetadata());
  }

  clear(): void {
    this.metadata.set(null);
    this.error.set(null);
  }

  private track(request: Observable<LptrackerMetadata>): Observable<LptrackerMetadata> {
    this.loading.set(true);
    this.error.set(null);
    return request.pipe(
      tap({
        next: (metadata) => this.metadata.set(metadata),
        error: (error: unknown) => {
          if (error instanceof HttpErrorResponse && error.status === 404) {
            this.metadata.set(null);
          } else {
            this.error.set(error);
          }
        },
      }),
      finalize(() => this.loading.set(false)),
    );
  }
}
