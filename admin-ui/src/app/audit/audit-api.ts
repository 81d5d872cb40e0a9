import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { AuditPage, AuditQuery } from './audit.models';

/** `/api/v1/audit` (admins only), newest first. */
@Injectable({ providedIn: 'root' })
export class AuditApi extends ApiClient {
  search(query: AuditQuery): Observable<AuditPage> {
    return this.get<AuditPage>('/audit', { ...query });
  }
}
