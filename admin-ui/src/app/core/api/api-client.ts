import { HttpClient, HttpParams } from '@angular/common/http';
import { inject } from '@angular/core';
import type { Observable } from 'rxjs';

export const API_BASE_URL = '/api/v1';

type QueryValue = string | number | boolean;
/** Query parameters; `null`/`undefined` values are left out, arrays repeat the name. */
export type QueryParams = Readonly<Record<string, QueryValue | readonly QueryValue[] | null | undefined>>;

/**
 * Base of the typed per-feature API services. Every URL is relative to the page
 * (`/api/v1/...`, `/health/...`), so the same build works behind nginx, from the backend in
 * local mode and through the `ng serve` proxy. Auth headers are added by the interceptor.
 *
 * ```ts
 * @Injectable({ providedIn: 'root' })
 * export class ContactsApi extends ApiClient {
 *   list(query: ContactQuery) { return this.get<Page<Contact>>('/contacts', query); }
 * }
 * ```
 */
export abstract class ApiClient {
  protected readonly http = inject(HttpClient);
  /** Prefix of every path of this service; override for non-API endpoints such as `/health`. */
  protected readonly baseUrl: string = API_BASE_URL;

  protected get<T>(path: string, params?: QueryParams): Observable<T> {
    return this.http.get<T>(this.url(path), { params: toHttpParams(params) });
  }

  protected post<T>(path: string, body?: unknown, params?: QueryParams): Observable<T> {
    return this.http.post<T>(this.url(path), body ?? null, { params: toHttpParams(params) });
  }

  protected put<T>(path: string, body: unknown): Observable<T> {
    return this.http.put<T>(this.url(path), body);
  }

  protected patch<T>(path: string, body: unknown): Observable<T> {
    return this.http.patch<T>(this.url(path), body);
  }

  protected delete<T = void>(path: string, params?: QueryParams): Observable<T> {
    return this.http.delete<T>(this.url(path), { params: toHttpParams(params) });
  }

  protected url(path: string): string {
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }
}

export function toHttpParams(params?: QueryParams): HttpParams {
  let result = new HttpParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === null || value === undefined) {
      continue;
    }
    for (const item of Array.isArray(value) ? (value as readonly QueryValue[]) : [value as QueryValue]) {
      result = result.append(name, String(item));
    }
  }
  return result;
}
