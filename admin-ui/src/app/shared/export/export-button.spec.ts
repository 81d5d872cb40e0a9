import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  type TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
} from '../../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
} from '../../../testing/test-helpers';
import type { QueryParams } from '../../core/api/api-client';
import { authInterceptor } from '../../core/auth/auth.interceptor';
import { BlobSaver } from './blob-saver';
import { type ExportList, fileNameFrom } from './export-api';
import { ExportButton } from './export-button';

@Component({
  imports: [ExportButton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-export-button [list]="list()" [params]="params()" />`,
})
class Host {
  readonly list = signal<ExportList>('contacts');
  readonly params = signal<QueryParams>({});
}

/** Records the files the button hands to the browser instead of saving them. */
class RecordingSaver {
  readonly saved: { blob: Blob; fileName: string }[] = [];
  save(blob: Blob, fileName: string): void {
    this.saved.push({ blob, fileName });
  }
}

describe('ExportButton', () => {
  let fixture: ComponentFixture<Host>;
  let backend: HttpTestingController;
  let saver: RecordingSaver;

  async function render(list: ExportList, params: QueryParams): Promise<void> {
    localStorage.clear();
    storeSession(makeUser('viewer'));
    saver = new RecordingSaver();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideNoMaterialAnimations(),
        { provide: BlobSaver, useValue: saver },
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Host);
    fixture.componentInstance.list.set(list);
    fixture.componentInstance.params.set(params);
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  async function choose(list: ExportList, format: 'xlsx' | 'csv'): Promise<TestRequest> {
    byTestId(fixture, `${list}-export`).click();
    await settle();
    overlayTestId(`${list}-export-${format}`).click();
    await settle();
    return backend.expectOne((req) => req.url === `/api/v1/${list}/export.${format}`);
  }

  function params(req: TestRequest): Record<string, string> {
    const query = req.request.params;
    return Object.fromEntries(query.keys().map((key) => [key, query.getAll(key)?.join('|') ?? '']));
  }

  function button(list: ExportList): HTMLButtonElement {
    return byTestId(fixture, `${list}-export`) as HTMLButtonElement;
  }

  it('downloads Excel with the current filters and the token, disabled while the file comes', async () => {
    await render('contacts', { search: 'Иван', phone: null });
    const req = await choose('contacts', 'xlsx');

    expect(req.request.method).toBe('GET');
    expect(req.request.responseType).toBe('blob');
    expect(params(req)).toEqual({ search: 'Иван' });
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    await fixture.whenStable();
    expect(button('contacts').disabled).toBe(true);
    expect(text(button('contacts'))).toContain('Готовим файл');

    const blob = new Blob(['xlsx bytes']);
    req.flush(blob, {
      headers: { 'Content-Disposition': 'attachment; filename="contacts-2026-12-07.xlsx"' },
    });
    await fixture.whenStable();

    expect(saver.saved).toEqual([{ blob, fileName: 'contacts-2026-12-07.xlsx' }]);
    expect(button('contacts').disabled).toBe(false);
    expect(text(button('contacts'))).toContain('Выгрузить');
    expect(queryTestId(fixture, 'contacts-export-error')).toBeNull();
  });

  it('downloads CSV of another list with the filters it is given now', async () => {
    await render('leads', { search: null, pipelineId: 7, statusId: 142 });
    fixture.componentInstance.params.set({ search: 'окна', pipelineId: 7, statusId: null });
    await fixture.whenStable();
    const req = await choose('leads', 'csv');

    expect(params(req)).toEqual({ search: 'окна', pipelineId: '7' });
    req.flush(new Blob(['a;b']), {
      headers: {
        'Content-Disposition': "attachment; filename*=UTF-8''%D1%81%D0%B4%D0%B5%D0%BB%D0%BA%D0%B8.csv",
      },
    });
    await fixture.whenStable();
    expect(saver.saved.map((file) => file.fileName)).toEqual(['сделки.csv']);
  });

  it('explains in Russian a filter the server refused (problem+json read from the blob)', async () => {
    await render('events', { status: 'failed' });
    const req = await choose('events', 'xlsx');
    const problem = {
      status: 400,
      title: 'Bad Request',
      errors: [{ field: 'from', message: 'from must be a date' }],
    };
    req.flush(new Blob([JSON.stringify(problem)], { type: 'application/problem+json' }), {
      status: 400,
      statusText: 'Bad Request',
    });
    await new Promise((resolve) => setTimeout(resolve)); // the error body (a Blob) is read asynchronously
    await settle();
    await fixture.whenStable();

    const error = text(byTestId(fixture, 'events-export-error'));
    expect(error).toContain('Не удалось выгрузить файл.');
    expect(error).toContain('Сервер не принял фильтр (from)');
    expect(byTestId(fixture, 'events-export-error').getAttribute('role')).toBe('alert');
    expect(saver.saved).toEqual([]);
    expect(button('events').disabled).toBe(false);
  });

  it('says the server failed on a 500 and clears the message on the next try', async () => {
    await render('contacts', {});
    (await choose('contacts', 'csv')).flush(new Blob(['oops']), { status: 500, statusText: 'Server Error' });
    await new Promise((resolve) => setTimeout(resolve)); // the error body (a Blob) is read asynchronously
    await settle();
    await fixture.whenStable();
    expect(text(byTestId(fixture, 'contacts-export-error'))).toBe(
      'Не удалось выгрузить файл. На сервере что-то пошло не так. Попробуйте позже.',
    );

    const again = await choose('contacts', 'csv');
    await fixture.whenStable();
    expect(queryTestId(fixture, 'contacts-export-error')).toBeNull();
    again.flush(new Blob(['x']));
    await fixture.whenStable();
    expect(saver.saved.map((file) => file.fileName)).toEqual(['contacts.csv']);
  });
});

describe('fileNameFrom', () => {
  it('reads filename*, then filename, and keeps folders out', () => {
    expect(fileNameFrom('attachment; filename="leads-2026-12-07.csv"')).toBe('leads-2026-12-07.csv');
    expect(fileNameFrom('attachment; filename="a.csv"; filename*=UTF-8\'\'%D0%B0.csv')).toBe('а.csv');
    expect(fileNameFrom('attachment; filename="a/b\\c.csv"')).toBe('a_b_c.csv');
    expect(fileNameFrom('attachment')).toBeNull();
    expect(fileNameFrom(null)).toBeNull();
  });
});
