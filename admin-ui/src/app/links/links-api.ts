import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { Page } from '../shared/page';
import type { LeadLink, LinkQuery } from './links.models';

/** `GET /api/v1/links`: LPTracker lead ⇄ amoCRM lead, searched by either id or a phone. */
@Injectable({ providedIn: 'root' })
export class LinksApi extends ApiClient {
  list(query: LinkQuery): Observable<Page<LeadLink>> {
    return this.get<Page<LeadLink>>('/links', { ...query });
  }
}
