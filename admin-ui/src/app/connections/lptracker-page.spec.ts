import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { problem } from '../../testing/amocrm-fixtures';
import {
  BASE,
  METADATA,
  NOT_CONNECTED,
  PROJECTS,
  WEBHOOK,
  connection,
} from '../../testing/lptracker-fixtures';
import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
  typeInto,
} from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { authInterceptor } from '../core/auth/auth.interceptor';
import type {
  LptrackerConnection,
  LptrackerMetadata,
  LptrackerVisibleProject,
} from '../core/lptracker/lptracker.models';
import LptrackerPage from './lptracker-page';

describe('LptrackerPage', () => {
  let fixture: ComponentFixture<LptrackerPage>;
  let backend: HttpTestingController;

  async function render(
    answer: LptrackerConnection,
    options: { role?: Role; projects?: LptrackerVisibleProject[] } = {},
  ): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(options.role ?? 'admin'));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNoMaterialAnimations(),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LptrackerPage);
    await fixture.whenStable();
    backend.expectOne({ method: 'GET', url: BASE }).flush(answer);
    await settle();
    answerFollowUps(options.projects ?? PROJECTS);
    await settle();
  }

  /** Answers what the page asks once it knows the connection: projects, metadata, webhook. */
  function answerFollowUps(projects: LptrackerVisibleProject[] = PROJECTS): void {
    for (const req of backend.match(`${BASE}/projects`)) {
      req.flush({ items: projects });
    }
    for (const req of backend.match(`${BASE}/metadata`)) {
      req.flush(METADATA);
    }
    for (const req of backend.match(`${BASE}/webhook`)) {
      req.flush(WEBHOOK);
    }
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  const statusChip = (): HTMLElement => byTestId(fixture, 'lptracker-status');

  async function fillForm(login: string, password: string, projectId: string): Promise<void> {
    typeInto(byTestId(fixture, 'lptracker-login'), login);
    typeInto(byTestId(fixture, 'lptracker-password'), password);
    typeInto(byTestId(fixture, 'lptracker-project-id'), projectId);
    byTestId(fixture, 'lptracker-connect-submit').click();
    await settle();
  }

  it('offers the connect form to an admin when nothing is connected, and asks LPTracker for nothing else', async () => {
    await render(NOT_CONNECTED);
    expect(text(statusChip())).toBe('Не подключён');
    expect(queryTestId(fixture, 'lptracker-connect-form')).not.toBeNull();
    expect(queryTestId(fixture, 'lptracker-projects')).toBeNull();
    expect(queryTestId(fixture, 'lptracker-disconnect')).toBeNull();
    expect(text(byTestId(fixture, 'lptracker-metadata-empty'))).toContain('Справочников пока нет');
  });

  it('connects: PUT with the trimmed login and the project as a number, then shows the project and its metadata', async () => {
    await render(NOT_CONNECTED);
    await fillForm(' sales@romashka.ru ', 'secret-pass', ' 101 ');

    const req = backend.expectOne({ method: 'PUT', url: BASE });
    expect(req.request.body).toEqual({ login: 'sales@romashka.ru', password: 'secret-pass', projectId: 101 });
    req.flush(connection());
    await settle();
    answerFollowUps();
    await settle();

    expect(text(statusChip())).toBe('Подключён');
    expect(text(byTestId(fixture, 'lptracker-login-value'))).toBe('sales@romashka.ru');
    expect(text(byTestId(fixture, 'lptracker-enabled-projects'))).toBe('Сайт');
    expect(snackBarText()).toContain('LPTracker подключён: sales@romashka.ru.');
    // Connected: the form closes and the projects and metadata appear.
    expect(queryTestId(fixture, 'lptracker-connect-form')).toBeNull();
    expect(fixture.nativeElement.querySelectorAll('[data-testid="lptracker-project"]')).toHaveLength(2);
    expect(text(byTestId(fixture, 'lptracker-metadata-project'))).toContain('Город');
  });

  it('does not send an incomplete form, and says which field is missing', async () => {
    await render(NOT_CONNECTED);
    await fillForm('sales@romashka.ru', '', 'abc');
    backend.expectNone({ method: 'PUT', url: BASE });
    expect(text(byTestId(fixture, 'lptracker-password-error'))).toBe('Заполните это поле.');
    expect(text(byTestId(fixture, 'lptracker-project-id-error'))).toBe('Нужно целое число.');
  });

  it.each([
    [
      'password',
      'lptrackerLoginRefused',
      'lptracker-password-error',
      'LPTracker не принял этот логин и пароль.',
    ],
    [
      'projectId',
      'lptrackerUnknownProject',
      'lptracker-project-id-error',
      'Этот логин LPTracker не видит проект с таким номером.',
    ],
  ])('shows a refused %s next to that field, in Russian', async (field, code, testId, words) => {
    await render(NOT_CONNECTED);
    await fillForm('sales@romashka.ru', 'wrong', '999');
    backend.expectOne({ method: 'PUT', url: BASE }).flush(
      ...problem(400, {
        type: 'urn:problem-type:validation-error',
        errors: [{ field, code, message: 'LPTracker refused this (401: wrong)' }],
      }),
    );
    await settle();
    expect(text(byTestId(fixture, testId))).toBe(words);
    expect(queryTestId(fixture, 'lptracker-connect-error')).toBeNull();
    expect(text(statusChip())).toBe('Не подключён');
  });

  it('says when LPTracker is down, with the wait from Retry-After, and keeps what was typed', async () => {
    await render(NOT_CONNECTED);
    await fillForm('sales@romashka.ru', 'secret-pass', '101');
    backend
      .expectOne({ method: 'PUT', url: BASE })
      .flush(...problem(503, { type: 'urn:problem-type:lptracker-unavailable' }, { 'Retry-After': '30' }));
    await settle();
    expect(text(byTestId(fixture, 'lptracker-connect-error'))).toBe(
      'LPTracker сейчас недоступен, попробуйте через 30 с',
    );
    expect((byTestId(fixture, 'lptracker-login') as HTMLInputElement).value).toBe('sales@romashka.ru');
  });

  it('words the last error in plain Russian and keeps the server text below it', async () => {
    const lastError =
      'LPTracker refused the stored login and password (401: wrong): an admin must reconnect LPTracker.';
    await render(connection({ status: 'needs_reauth', connected: false, lastError }));
    expect(text(statusChip())).toBe('Нужно подключить заново');
    expect(text(byTestId(fixture, 'lptracker-last-error-words'))).toBe(
      'LPTracker не принял логин или пароль. Подключите заново.',
    );
    expect(text(byTestId(fixture, 'lptracker-last-error'))).toContain(lastError);
    // Needs a reconnect: the form is open, prefilled with the login and the project.
    expect((byTestId(fixture, 'lptracker-login') as HTMLInputElement).value).toBe('sales@romashka.ru');
    expect((byTestId(fixture, 'lptracker-project-id') as HTMLInputElement).value).toBe('101');
  });

  it('checks the connection on «Проверить»', async () => {
    await render(connection({ lastOkAt: null }));
    expect(text(byTestId(fixture, 'lptracker-last-ok'))).toBe('ещё не отвечал');
    byTestId(fixture, 'lptracker-check').click();
    await settle();
    backend.expectOne({ method: 'POST', url: `${BASE}/check` }).flush(connection());
    await settle();
    expect(text(byTestId(fixture, 'lptracker-last-ok'))).toContain('05.03.2026');
    expect(snackBarText()).toContain('LPTracker отвечает.');
  });

  it('shows a failed check on the status card', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-check').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: `${BASE}/check` })
      .flush(...problem(503, { type: 'urn:problem-type:lptracker-needs-reauth' }));
    await settle();
    backend.expectOne(BASE).flush(connection({ status: 'needs_reauth', connected: false }));
    await settle();
    answerFollowUps();
    await settle();
    expect(text(byTestId(fixture, 'lptracker-action-error'))).toBe(
      'LPTracker не принял сохранённый пароль: подключите заново.',
    );
    expect(text(statusChip())).toBe('Нужно подключить заново');
  });

  it('disconnects only after confirmation', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-disconnect').click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Отключить');
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'DELETE', url: BASE }).flush(null);
    await settle();
    backend.expectOne(BASE).flush(NOT_CONNECTED);
    await settle();
    expect(text(statusChip())).toBe('Не подключён');
    expect(snackBarText()).toContain('LPTracker отключён.');
    expect(queryTestId(fixture, 'lptracker-metadata-project')).toBeNull();
  });

  it('keeps the connection when the disconnect is cancelled', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-disconnect').click();
    await settle();
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'DELETE', url: BASE });
    expect(text(statusChip())).toBe('Подключён');
  });

  it('enables a project with its toggle and shows it among the enabled ones', async () => {
    await render(connection());
    const toggle = byTestId(fixture, 'lptracker-project-toggle-102');
    expect(toggle.getAttribute('data-enabled')).toBe('false');
    toggle.querySelector('button')?.click();
    await settle();
    const req = backend.expectOne({ method: 'POST', url: `${BASE}/projects` });
    expect(req.request.body).toEqual({ projectId: 102 });
    const both = connection({
      projects: [
        { id: 101, name: 'Сайт' },
        { id: 102, name: 'Лендинг' },
      ],
    });
    req.flush(both);
    await settle();
    backend.expectOne(BASE).flush(both);
    await settle();
    answerFollowUps(PROJECTS.map((project) => ({ ...project, enabled: true })));
    await settle();
    expect(text(byTestId(fixture, 'lptracker-enabled-projects'))).toBe('Сайт, Лендинг');
    expect(byTestId(fixture, 'lptracker-project-toggle-102').getAttribute('data-enabled')).toBe('true');
    expect(snackBarText()).toContain('Проект «Лендинг» включён.');
  });

  it('disables a project only after confirmation', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-project-toggle-101').querySelector('button')?.click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Выключить');
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'DELETE', url: `${BASE}/projects/101` }).flush(null);
    await settle();
    backend.expectOne(BASE).flush(connection({ projects: [] }));
    await settle();
    answerFollowUps(PROJECTS.map((project) => ({ ...project, enabled: false })));
    await settle();
    expect(queryTestId(fixture, 'lptracker-enabled-projects')).toBeNull();
    expect(byTestId(fixture, 'lptracker-project-toggle-101').getAttribute('data-enabled')).toBe('false');
  });

  it('keeps a project enabled when its disabling is cancelled', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-project-toggle-101').querySelector('button')?.click();
    await settle();
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'DELETE', url: `${BASE}/projects/101` });
    expect(byTestId(fixture, 'lptracker-project-toggle-101').getAttribute('data-enabled')).toBe('true');
    expect(
      byTestId(fixture, 'lptracker-project-toggle-101').querySelector('button')?.getAttribute('aria-checked'),
    ).toBe('true');
    expect(text(byTestId(fixture, 'lptracker-enabled-projects'))).toBe('Сайт');
  });

  it('puts a switch back and says why when LPTracker refuses to enable the project', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-project-toggle-102').querySelector('button')?.click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: `${BASE}/projects` })
      .flush(...problem(503, { type: 'urn:problem-type:lptracker-unavailable' }, { 'Retry-After': '20' }));
    await settle();
    expect(text(byTestId(fixture, 'lptracker-projects-error'))).toContain(
      'LPTracker сейчас недоступен, попробуйте через 20 с',
    );
    expect(
      byTestId(fixture, 'lptracker-project-toggle-102').querySelector('button')?.getAttribute('aria-checked'),
    ).toBe('false');
    expect(text(byTestId(fixture, 'lptracker-enabled-projects'))).toBe('Сайт');
  });

  it('shows the callback URL and, per enabled project, whether it is registered and how many others it keeps', async () => {
    await render(connection());
    expect(text(byTestId(fixture, 'lptracker-webhook-url'))).toBe(WEBHOOK.url);
    const row = byTestId(fixture, 'lptracker-webhook-project');
    expect(text(row)).toContain('Сайт');
    expect(text(row)).toContain('адреса нет');
    expect(text(row)).toContain('других адресов: 2');
    expect(queryTestId(fixture, 'lptracker-webhook-unregister')).toBeNull();
  });

  it('registers the callback only after confirmation', async () => {
    await render(connection());
    byTestId(fixture, 'lptracker-webhook-register').click();
    await settle();
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'POST', url: `${BASE}/webhook` });

    byTestId(fixture, 'lptracker-webhook-register').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'POST', url: `${BASE}/webhook` }).flush({
      ...WEBHOOK,
      wanted: true,
      projects: [{ projectId: 101, registered: true, others: 2, error: null }],
    });
    await settle();
    expect(byTestId(fixture, 'lptracker-webhook-project').getAttribute('data-registered')).toBe('true');
    expect(text(byTestId(fixture, 'lptracker-webhook-project'))).toContain('адрес добавлен');
    expect(snackBarText()).toContain('Адрес добавлен во включённые проекты.');
    expect(queryTestId(fixture, 'lptracker-webhook-unregister')).not.toBeNull();
  });

  it('removes the callback after confirmation', async () => {
    await render(connection());
    const registered = { ...WEBHOOK, wanted: true };
    byTestId(fixture, 'lptracker-webhook-register').click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'POST', url: `${BASE}/webhook` }).flush(registered);
    await settle();
    byTestId(fixture, 'lptracker-webhook-unregister').click();
    await settle();
    expect(text(overlayTestId('confirm-ok'))).toBe('Убрать');
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'DELETE', url: `${BASE}/webhook` }).flush(WEBHOOK);
    await settle();
    expect(queryTestId(fixture, 'lptracker-webhook-unregister')).toBeNull();
    expect(snackBarText()).toContain('Адрес убран из проектов.');
  });

  it('shows the metadata of each project (list fields with their choices) and refreshes it on request', async () => {
    await render(connection());
    expect(text(byTestId(fixture, 'lptracker-metadata-project'))).toContain('Сайт');
    expect(text(byTestId(fixture, 'lptracker-metadata-customs'))).toContain('Казань');
    byTestId(fixture, 'lptracker-refresh-metadata').click();
    await settle();
    const refreshed: LptrackerMetadata = {
      projects: [
        { ...METADATA.projects[0], customs: [{ id: 8, name: 'Бюджет', type: 'text', options: null }] },
      ],
    };
    backend.expectOne({ method: 'POST', url: `${BASE}/metadata/refresh` }).flush(refreshed);
    await settle();
    expect(text(byTestId(fixture, 'lptracker-metadata-customs'))).toContain('Бюджет');
    expect(snackBarText()).toContain('Справочники LPTracker обновлены.');
  });

  it('shows a manager the status without any buttons or switchable projects', async () => {
    await render(connection(), { role: 'manager' });
    expect(text(statusChip())).toBe('Подключён');
    expect(queryTestId(fixture, 'lptracker-check')).toBeNull();
    expect(queryTestId(fixture, 'lptracker-disconnect')).toBeNull();
    expect(queryTestId(fixture, 'lptracker-connect-form')).toBeNull();
    expect(text(byTestId(fixture, 'lptracker-read-only'))).toContain('только администраторы');
    expect(queryTestId(fixture, 'lptracker-webhook-register')).toBeNull();
    expect(queryTestId(fixture, 'lptracker-webhook-copy')).toBeNull();
    const toggle = byTestId(fixture, 'lptracker-project-toggle-102').querySelector('button');
    expect(toggle?.disabled).toBe(true);
  });
});
