import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../../core/api/api-client';
import { type Page, queryText } from '../page';
import type {
  Contact,
  ContactQuery,
  CreateContactRequest,
  FoundOrCreatedContact,
  UpdateContactRequest,
} from './contacts.models';

/** `/api/v1/contacts`: everyone reads, managers and admins create and change. */
@Injectable({ providedIn: 'root' })
export class ContactsApi extends ApiClient {
  list(query: ContactQuery): Observable<Page<Contact>> {
    return this.get<Page<Contact>>('/contacts', {
      search: queryText(query.search),
      phone: queryText(query.phone),
      email: queryText(query.email),
      sort: query.sort,
      order: query.order,
      page: query.page,
      limit: query.limit,
    });
  }

  getOne(id: string): Observable<Contact> {
    return this.get<Contact>(`/contacts/${encodeURIComponent(id)}`);
  }

  /** Find-or-create: `created` tells whether it is new (201) or an existing one (200). */
  create(request: CreateContactRequest): Observable<FoundOrCreatedContact> {
    return this.post<FoundOrCreatedContact>('/contacts', request);
  }

  update(id: string, changes: UpdateContactRequest): Observable<Contact> {
    return this.patch<Contact>(`/contacts/${encodeURIComponent(id)}`, changes);
  }
}
