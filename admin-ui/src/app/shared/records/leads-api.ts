import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../../core/api/api-client';
import { type Page, queryText } from '../page';
import type {
  CreateLeadRequest,
  FoundOrCreatedLead,
  Lead,
  LeadQuery,
  UpdateLeadRequest,
} from './leads.models';

/** `/api/v1/leads`: everyone reads, managers and admins create and change. */
@Injectable({ providedIn: 'root' })
export class LeadsApi extends ApiClient {
  list(query: LeadQuery): Observable<Page<Lead>> {
    return this.get<Page<Lead>>('/leads', {
      search: queryText(query.search),
      pipelineId: query.pipelineId ?? null,
      statusId: query.statusId ?? null,
      contactId: query.contactId ?? null,
      sort: query.sort,
      order: query.order,
      page: query.page,
      limit: query.limit,
    });
  }

  getOne(id: string): Observable<Lead> {
    return this.get<Lead>(`/leads/${encodeURIComponent(id)}`);
  }

  /** Find-or-create: `created` tells whether it is new (201) or an existing one (200). */
  create(request: CreateLeadRequest): Observable<FoundOrCreatedLead> {
    return this.post<FoundOrCreatedLead>('/leads', request);
  }

  update(id: string, changes: UpdateLeadRequest): Observable<Lead> {
    return this.patch<Lead>(`/leads/${encodeURIComponent(id)}`, changes);
  }
}
