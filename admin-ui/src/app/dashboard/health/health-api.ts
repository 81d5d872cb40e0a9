import { HttpErrorResponse } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { type Observable, catchError, of, throwError } from 'rxjs';

import { ApiClient } from '../../core/api/api-client';
import { type ReadinessReport, isReadinessReport } from './health.models';

@Injectable({ providedIn: 'root' })
export class HealthApi extends ApiClient {
  protected override readonly baseUrl = '/health';

  /** The readiness report; a 503 that carries `checks` is a report too (something is down). */
  ready(): Observable<ReadinessReport> {
    return this.get<ReadinessReport>('/ready').pipe(
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 503 && isReadinessReport(error.error)
          ? of(error.error)
          : throwError(() => error),
      ),
    );
  }
}
