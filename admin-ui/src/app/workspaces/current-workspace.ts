import { Injectable, inject, signal } from '@angular/core';
import { type Observable, tap } from 'rxjs';

import { WorkspacesApi } from './workspaces-api';
import type { CurrentWorkspace } from './workspaces.models';

/**
 * The workspace the signed-in person works in now, for the top bar and the workspaces page: their own, or the
 * one a super admin opened (then `home` is their own). Loaded once per session and after every switch.
 */
@Injectable({ providedIn: 'root' })
export class CurrentWorkspaceStore {
  private readonly api = inject(WorkspacesApi);
  private readonly state = signal<CurrentWorkspace | null>(null);

  /** `null` until the first answer (and when it cannot be read: the top bar then shows nothing). */
  readonly current = this.state.asReadonly();

  reload(): void {
    this.api.current().subscribe({
      next: (current) => this.state.set(current),
      error: () => this.state.set(null),
    });
  }

  /** Works in workspace `id` from now on (a super admin); their own id goes back home. */
  open(id: string): Observable<CurrentWorkspace> {
    return this.api.open(id).pipe(tap((current) => this.state.set(current)));
  }
}
