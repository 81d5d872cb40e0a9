import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { byTestId, makeUser, registerIcons, storeSession, text, typeInto } from '../../testing/test-helpers';
import WorkspacesPage from './workspaces-page';
import type { Workspace } from './workspaces.models';

const MAIN: Workspace = {
  id: 'w-1',
  name: 'Основное пространство',
  isDefault: true,
  users: 3,
  disabled: false,
  createdAt: '2026-01-10T08:00:00.000Z',
};
const BRANCH: Workspace = { ...MAIN, id: 'w-2', name: 'Филиал', isDefault: false, users: 1 };
const AT_HOME = { id: 'w-1', name: MAIN.name, disabled: false, acting: false, home: null };

describe('WorkspacesPage', () => {
  let fixture: ComponentFixture<WorkspacesPage>;
  let backend: HttpTestingController;

  beforeEach(async () => {
    localStorage.clear();
    storeSession({ ...makeUser('admin'), workspaceId: 'w-1', isSuperAdmin: true });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideNoMaterialAnimations(),
        provideRouter([]),
      ],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WorkspacesPage);
    await fixture.whenStable();
    backend.expectOne('/api/v1/workspaces/current').flush(AT_HOME);
    backend.expectOne('/api/v1/workspaces').flush([MAIN, BRANCH]);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  async function fillAndSubmit(name: string, email: string, password: string): Promise<void> {
    byTestId(fixture, 'workspaces-create').click();
    await settle();
    typeInto(overlayTestId('workspace-name'), name);
    typeInto(overlayTestId('workspace-admin-email'), email);
    typeInto(overlayTestId('workspace-admin-password'), password);
    overlayTestId('workspace-create-submit').click();
    await settle();
  }

  it('marks the workspace you are in', () => {
    const row = byTestId(fixture, 'workspace-row-Основное пространство');
    expect(text(row.querySelector('[data-testid="workspace-current"]'))).toBe('вы здесь');
  });

  it('renames a workspace from its row: PATCH with the trimmed name, the row shows the answer', async () => {
    const row = byTestId(fixture, 'workspace-row-Основное пространство');
    row.querySelector<HTMLElement>('[data-testid="workspace-rename"]')?.click();
    await settle();
    const input = overlayTestId('workspace-rename-name') as HTMLInputElement;
    expect(input.value).toBe('Основное пространство');
    typeInto(input, '   ');
    overlayTestId('workspace-rename-submit').click();
    await settle();
    backend.expectNone({ method: 'PATCH', url: '/api/v1/workspaces/w-1' });

    typeInto(input, '  Главный офис ');
    overlayTestId('workspace-rename-submit').click();
    await settle();
    const req = backend.expectOne({ method: 'PATCH', url: '/api/v1/workspaces/w-1' });
    expect(req.request.body).toEqual({ name: 'Главный офис' });
    req.flush({ ...MAIN, name: 'Главный офис' });
    await settle();

    expect(queryOverlayTestId('workspace-rename-form')).toBeNull();
    expect(text(byTestId(fixture, 'workspace-row-Главный офис'))).toContain('Главный офис');
    expect(snackBarText()).toContain('Пространство переименовано: «Главный офис».');
  });

  it('lists workspaces with the default one marked and the number of users', () => {
    const row = byTestId(fixture, 'workspace-row-Основное пространство');
    expect(text(row.querySelector('[data-testid="workspace-default"]'))).toBe('основное');
    expect(text(row)).toContain('3');
    expect(text(row)).toContain('10.01.2026');
  });

  it('creates a workspace with its first admin', async () => {
    await fillAndSubmit(' Отдел продаж ', 'boss@team.example.com', 'Quiet-river-42');

    const req = backend.expectOne({ method: 'POST', url: '/api/v1/workspaces' });
    expect(req.request.body).toEqual({
      name: 'Отдел продаж',
      adminEmail: 'boss@team.example.com',
      adminPassword: 'Quiet-river-42',
    });
    req.flush(
      { ...MAIN, id: 'w-2', name: 'Отдел продаж', isDefault: false, users: 1 },
      { status: 201, statusText: 'Created' },
    );
    await settle();

    expect(queryOverlayTestId('workspace-create-form')).toBeNull();
    expect(text(byTestId(fixture, 'workspace-row-Отдел продаж'))).toContain('1');
    expect(snackBarText()).toContain(
      'Пространство «Отдел продаж» создано. Его администратор — boss@team.example.com.',
    );
  });

  it('marks the admin e-mail when it is taken, and the password policy error on its field', async () => {
    await fillAndSubmit('Отдел продаж', 'anna@example.com', 'Quiet-river-42');
    backend.expectOne('/api/v1/workspaces').flush(
      {
        type: 'urn:problem-type:email-taken',
        title: 'Conflict',
        status: 409,
        detail: 'A user with this e-mail already exists.',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    expect(text(document.querySelector('app-create-workspace-dialog'))).toContain(
      'Пользователь с такой почтой уже есть.',
    );

    typeInto(overlayTestId('workspace-admin-email'), 'boss@team.example.com');
    overlayTestId('workspace-create-submit').click();
    await settle();
    backend.expectOne('/api/v1/workspaces').flush(
      {
        type: 'urn:problem-type:validation-error',
        title: 'Validation failed',
        status: 400,
        detail: 'x',
        errors: [
          { field: 'adminPassword', code: 'passwordTooSimple', message: 'The password is too simple.' },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(text(document.querySelector('app-create-workspace-dialog'))).toContain(
      'Пароль слишком простой: возьмите больше разных символов.',
    );
  });

  it('turns another workspace off after asking (not your own), then on again', async () => {
    expect(
      byTestId(fixture, 'workspace-row-Основное пространство').querySelector(
        '[data-testid="workspace-disable"]',
      ),
    ).toBeNull();
    const row = () => byTestId(fixture, 'workspace-row-Филиал');
    row().querySelector<HTMLElement>('[data-testid="workspace-disable"]')?.click();
    await settle();
    expect(text(document.querySelector('app-confirm-dialog'))).toContain('Выключить пространство «Филиал»?');
    overlayTestId('confirm-cancel').click();
    await settle();
    backend.expectNone({ method: 'POST', url: '/api/v1/workspaces/w-2/disable' });

    row().querySelector<HTMLElement>('[data-testid="workspace-disable"]')?.click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend
      .expectOne({ method: 'POST', url: '/api/v1/workspaces/w-2/disable' })
      .flush({ ...BRANCH, disabled: true });
    backend.expectOne('/api/v1/workspaces/current').flush(AT_HOME);
    await settle();
    expect(text(row().querySelector('[data-testid="workspace-disabled"]'))).toBe('выключено');
    expect(snackBarText()).toContain('Пространство «Филиал» выключено.');

    row().querySelector<HTMLElement>('[data-testid="workspace-enable"]')?.click();
    await settle();
    overlayTestId('confirm-ok').click();
    await settle();
    backend.expectOne({ method: 'POST', url: '/api/v1/workspaces/w-2/enable' }).flush(BRANCH);
    backend.expectOne('/api/v1/workspaces/current').flush(AT_HOME);
    await settle();
    expect(row().querySelector('[data-testid="workspace-disabled"]')).toBeNull();
  });

  it('opens another workspace to work in it and goes to its overview', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    expect(
      byTestId(fixture, 'workspace-row-Основное пространство').querySelector(
        '[data-testid="workspace-open"]',
      ),
    ).toBeNull();
    byTestId(fixture, 'workspace-row-Филиал')
      .querySelector<HTMLElement>('[data-testid="workspace-open"]')
      ?.click();
    backend.expectOne({ method: 'POST', url: '/api/v1/workspaces/w-2/open' }).flush({
      id: 'w-2',
      name: 'Филиал',
      disabled: false,
      acting: true,
      home: { id: 'w-1', name: MAIN.name },
    });
    await settle();
    expect(snackBarText()).toContain('Вы работаете в пространстве «Филиал».');
    expect(navigate).toHaveBeenCalledWith('/');
    expect(
      text(byTestId(fixture, 'workspace-row-Филиал').querySelector('[data-testid="workspace-current"]')),
    ).toBe('вы здесь');
  });
});
