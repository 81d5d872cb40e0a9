import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import { type CallFilters, type CallPage, type CallSummary, callParams } from './call-results.models';

/** `/api/v1/call-results`: the list with totals, and the counts per day or operator for the charts. */
@Injectable({ providedIn: 'root' })
export class CallResultsApi extends ApiClient {
  list(filters: CallFilters, page: number, limit: number): Observable<CallPage> {
    return this.get<CallPage>('/call-results', { ...callParams(filters), page, limit });
  }

  summary(filters: CallFilters, groupBy: 'day' | 'operator'): Observable<CallSummary> {
    return this.get<CallSummary>('/call-results/summary', { ...callParams(filters), groupBy });
  }
}
