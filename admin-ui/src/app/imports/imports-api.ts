import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import { ExportApi, type ExportedFile } from '../shared/export/export-api';
import { readEventStream } from './event-stream';
import type {
  AmocrmTargetField,
  ImportDetails,
  ImportMapping,
  ImportPage,
  ImportProgress,
  ImportTemplate,
  LptrackerTargetProject,
} from './imports.models';

export type RunAction = 'start' | 'pause' | 'resume' | 'cancel';

/** `/api/v1/imports`: upload and preview, sheet, mapping, templates, the run, its live progress and report. */
@Injectable({ providedIn: 'root' })
export class ImportsApi extends ApiClient {
  private readonly files = inject(ExportApi);

  upload(file: File): Observable<ImportDetails> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.post<ImportDetails>('/imports', form);
  }

  history(page: number, limit: number): Observable<ImportPage> {
    return this.get<ImportPage>('/imports', { page, limit });
  }

  details(id: string): Observable<ImportDetails> {
    return this.get<ImportDetails>(`/imports/${encodeURIComponent(id)}`);
  }

  pickSheet(id: string, sheet: string): Observable<ImportDetails> {
    return this.put<ImportDetails>(`/imports/${encodeURIComponent(id)}/sheet`, { sheet });
  }

  saveMapping(id: string, mapping: ImportMapping): Observable<ImportDetails> {
    return this.put<ImportDetails>(`/imports/${encodeURIComponent(id)}/mapping`, mapping);
  }

  /** The enabled LPTracker projects an import may target, with the fields of each. */
  lptrackerProjects(): Observable<{ items: LptrackerTargetProject[] }> {
    return this.get<{ items: LptrackerTargetProject[] }>('/imports/lptracker/projects');
  }

  /** The amoCRM custom fields of contacts and leads an import into amoCRM may write. */
  amocrmFields(): Observable<{ items: AmocrmTargetField[] }> {
    return this.get<{ items: AmocrmTargetField[] }>('/imports/amocrm/fields');
  }

  templates(): Observable<{ items: ImportTemplate[] }> {
    return this.get<{ items: ImportTemplate[] }>('/imports/templates');
  }

  saveTemplate(name: string, mapping: ImportMapping): Observable<ImportTemplate> {
    return this.post<ImportTemplate>('/imports/templates', { ...mapping, name });
  }

  run(id: string, action: RunAction): Observable<ImportProgress> {
    return this.post<ImportProgress>(`/imports/${encodeURIComponent(id)}/${action}`, {});
  }

  /** The live progress (server-sent events, read through HttpClient so the token goes with it). */
  stream(id: string): Observable<ImportProgress> {
    return readEventStream<ImportProgress>(this.http, this.url(`/imports/${encodeURIComponent(id)}/stream`));
  }

  report(id: string): Observable<ExportedFile> {
    return this.files.file(`/imports/${encodeURIComponent(id)}/report.xlsx`, 'import-report.xlsx');
  }
}
