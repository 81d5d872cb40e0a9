import { Injectable } from '@angular/core';
import { type Observable, map } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { Page } from '../shared/page';
import type {
  CurrentMapping,
  FieldCatalog,
  MappingDirection,
  MappingDocument,
  MappingPreview,
  MappingSummary,
  MappingVersionView,
} from './mappings.models';

/** `/api/v1/mappings`: everyone reads; admins save, restore and preview drafts. */
@Injectable({ providedIn: 'root' })
export class MappingsApi extends ApiClient {
  list(): Observable<MappingSummary[]> {
    return this.get<{ items: MappingSummary[] }>('/mappings').pipe(map((page) => page.items));
  }

  current(projectId: number, direction: MappingDirection): Observable<CurrentMapping> {
    return this.get<CurrentMapping>(this.path(projectId, direction));
  }

  save(
    projectId: number,
    direction: MappingDirection,
    document: MappingDocument,
  ): Observable<MappingVersionView> {
    return this.put<MappingVersionView>(this.path(projectId, direction), document);
  }

  versions(
    projectId: number,
    direction: MappingDirection,
    page = 1,
    limit = 50,
  ): Observable<Page<MappingVersionView>> {
    return this.get<Page<MappingVersionView>>(`${this.path(projectId, direction)}/versions`, { page, limit });
  }

  restore(projectId: number, direction: MappingDirection, version: number): Observable<MappingVersionView> {
    return this.post<MappingVersionView>(`${this.path(projectId, direction)}/versions/${version}/restore`);
  }

  fields(projectId: number): Observable<FieldCatalog> {
    return this.get<FieldCatalog>(`/mappings/${projectId}/fields`);
  }

  preview(
    projectId: number,
    direction: MappingDirection,
    document: MappingDocument,
    eventId?: string,
  ): Observable<MappingPreview> {
    return this.post<MappingPreview>(`${this.path(projectId, direction)}/preview`, {
      document,
      ...(eventId ? { eventId } : {}),
    });
  }

  private path(projectId: number, direction: MappingDirection): string {
    return `/mappings/${projectId}/${direction}`;
  }
}
