import { HttpErrorResponse, type HttpResponse } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { type Observable, catchError, from, map, switchMap, throwError } from 'rxjs';

import { ApiClient, type QueryParams, toHttpParams } from '../../core/api/api-client';

/** The lists that can be downloaded (`GET /api/v1/<list>/export.xlsx|.csv`). */
export type ExportList = 'contacts' | 'leads' | 'events';
export type ExportFormat = 'xlsx' | 'csv';

/** A downloaded file and the name the server gave it. */
export interface ExportedFile {
  blob: Blob;
  fileName: string;
}

/**
 * The list exports, fetched through HttpClient (so the auth interceptor adds the token, which a plain link
 * could not carry). `params` are the list's current filters; `page`/`limit` are not sent.
 */
@Injectable({ providedIn: 'root' })
export class ExportApi extends ApiClient {
  download(list: ExportList, format: ExportFormat, params: QueryParams): Observable<ExportedFile> {
    return this.file(`/${list}/export.${format}`, `${list}.${format}`, params);
  }

  /** Any file the API serves (e.g. an import's report), saved under its Content-Disposition name. */
  file(path: string, fallbackName: string, params?: QueryParams): Observable<ExportedFile> {
    return this.http
      .get(this.url(path), {
        params: toHttpParams(params),
        responseType: 'blob',
        observe: 'response',
      })
      .pipe(
        map((response: HttpResponse<Blob>) => ({
          blob: response.body ?? new Blob([]),
          fileName: fileNameFrom(response.headers.get('Content-Disposition')) ?? fallbackName,
        })),
        catchError((error: unknown) => readBlobError(error)),
      );
  }
}

/** `attachment; filename*=UTF-8''…` or `filename="…"`; `null` when absent or unsafe. */
export function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) {
    return null;
  }
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  let name: string | undefined;
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = undefined;
    }
  }
  name ??=
    /filename\s*=\s*"([^"]*)"/.exec(disposition)?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(disposition)?.[1];
  // no folders in a name the browser saves
  const safe = name?.replace(/[/\\]/g, '_').trim();
  return safe === undefined || safe === '' ? null : safe;
}

/** With `responseType: 'blob'` an error body (problem+json) arrives as a Blob: read it so the message can use it. */
function readBlobError(error: unknown): Observable<never> {
  if (!(error instanceof HttpErrorResponse) || !(error.error instanceof Blob)) {
    return throwError(() => error);
  }
  return from(error.error.text().catch(() => '')).pipe(
    switchMap((body) =>
      throwError(
        () =>
          new HttpErrorResponse({
            error: body,
            headers: error.headers,
            status: error.status,
            statusText: error.statusText,
            url: error.url ?? undefined,
          }),
      ),
    ),
  );
}
