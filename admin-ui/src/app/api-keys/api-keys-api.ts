import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { ApiKey, CreateApiKeyRequest, CreatedApiKey } from './api-keys.models';

/** `/api/v1/api-keys` (admins only). */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi extends ApiClient {
  list(): Observable<ApiKey[]> {
    return this.get<ApiKey[]>('/api-keys');
  }

  create(request: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.post<CreatedApiKey>('/api-keys', request);
  }

  revoke(id: string): Observable<void> {
    return this.delete(`/api-keys/${encodeURIComponent(id)}`);
  }
}
