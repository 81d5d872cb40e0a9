import { Injectable, inject, signal } from '@angular/core';
import { EMPTY, catchError, from, mergeMap } from 'rxjs';

import { ContactsApi } from './contacts-api';

/** At most this many contacts are read at once when names are missing. */
const CONCURRENCY = 4;

/**
 * Names of contacts by id, for pages that show a contact next to something else (a lead) when
 * the server did not include the name: missing ones are read once each and remembered.
 */
@Injectable({ providedIn: 'root' })
export class ContactNames {
  private readonly api = inject(ContactsApi);
  private readonly names = signal<ReadonlyMap<string, string>>(new Map());
  private readonly requested = new Set<string>();

  readonly known = this.names.asReadonly();

  remember(id: string, name: string): void {
    if (this.names().get(id) !== name) {
      this.names.update((names) => new Map(names).set(id, name));
    }
  }

  /** Reads the names of these contacts that are neither known nor asked for yet. */
  resolve(ids: Iterable<string | null | undefined>): void {
    const missing = [...new Set(ids)].filter(
      (id): id is string => !!id && !this.requested.has(id) && !this.names().has(id),
    );
    if (missing.length === 0) {
      return;
    }
    missing.forEach((id) => this.requested.add(id));
    from(missing)
      .pipe(mergeMap((id) => this.api.getOne(id).pipe(catchError(() => EMPTY)), CONCURRENCY))
      .subscribe((contact) => this.remember(contact.id, contact.name));
  }
}
