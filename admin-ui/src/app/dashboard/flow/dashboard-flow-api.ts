import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../../core/api/api-client';
import type { AmocrmRate, Capacity, Checklist, Flow, FlowRange, Funnel } from './flow.models';

/** `GET /api/v1/dashboard/*`: the charts of the flow, the capacity card and the first-steps checklist. */
@Injectable({ providedIn: 'root' })
export class DashboardFlowApi extends ApiClient {
  flow(range: FlowRange): Observable<Flow> {
    return this.get<Flow>('/dashboard/flow', { range });
  }
  capacity(): Observable<Capacity> {
    return this.get<Capacity>('/dashboard/capacity');
  }
  funnel(): Observable<Funnel> {
    return this.get<Funnel>('/dashboard/funnel');
  }
  amocrmRate(): Observable<AmocrmRate> {
    return this.get<AmocrmRate>('/dashboard/amocrm-rate');
  }
  checklist(): Observable<Checklist> {
    return this.get<Checklist>('/dashboard/checklist');
  }
}
