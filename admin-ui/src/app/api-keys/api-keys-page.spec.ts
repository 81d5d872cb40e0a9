import { Clipboard } from '@angular/cdk/clipboard';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';

import {
  clearOverlays,
  overlayTestId,
  provideNoMaterialAnimations,
  queryOverlayTestId,
  settle,
  snackBarText,
} from '../../testing/overlay-helpers';
import { byTestId, registerIcons, text, typeInto } from '../../testing/test-helpers';
import ApiKeysPage from './api-keys-page';
import type { ApiKey } from './api-keys.models';

const SITE_KEY: ApiKey = {
  id: 'k-1',
  name: 'Сайт — форма заявки',
  prefix: 'amoi_Xk3f9aQ',
  role: 'manager',
  createdAt: '2026-03-01T09:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};
const SECRET = 'amoi_Xk3f9aQ0123456789abcdefghijklmnopqrstuvwxyz';

describe('ApiKeysPage', () => {
  let fixture: ComponentFixture<ApiKeysPage>;
  let backend: HttpTestingController;
  let copy: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideNoMaterialAnimations()],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    copy = vi.spyOn(TestBed.inject(Clipboard), 'copy').mockReturnValue(true);
    fixture = TestBed.createComponent(ApiKeysPage);
    await fixture.whenStable();
    backend.expectOne('/api/v1/api-keys').flush([SITE_KEY]);
    await settle();
  });

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  it('lists the keys by name, prefix and role; "никогда" when never used', () => {
    const row = byTestId(fixture, 'api-key-row-Сайт — форма заявки');
    expect(text(row)).toContain('amoi_Xk3f9aQ…');
    expect(text(row)).toContain('Менеджер');
    expect(text(row.querySelector('[data-testid="api-key-last-used"]'))).toBe('никогда');
  });

  it('sorts by a column header: name, then role', async () => {
    backend.expectNone('/api/v1/api-keys');
    // a second key, as a reload would bring it
    const page = fixture.componentInstance as unknown as { list: { addItem(key: ApiKey): void } };
    page.list.addItem({ ...SITE_KEY, id: 'k-0', name: 'Бот CRM', role: 'admin' });
    await settle();
    const names = () =>
      Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('tr[mat-row] .name')).map((cell) =>
        text(cell),
      );
    expect(names()).toEqual(['Сайт — форма заявки', 'Бот CRM']);
    byTestId(fixture, 'api-keys-sort-name').click();
    await settle();
    expect(names()).toEqual(['Бот CRM', 'Сайт — форма заявки']);
    byTestId(fixture, 'api-keys-sort-role').click();
    await settle();
    expect(names()).toEqual(['Сайт — форма заявки', 'Бот CRM']); // manager before admin, ascending
  });

  it('shows the new key once, with a copy button, a warning and the header to use', async () => {
    byTestId(fixture, 'api-keys-create').click();
    await settle();
    typeInto(overlayTestId('api-key-name'), '  CRM-бот ');
    overlayTestId('api-key-create-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'POST', url: '/api/v1/api-keys' });
    // the default role is the one a site form needs: it creates leads
    expect(req.request.body).toEqual({ name: 'CRM-бот', role: 'manager' });
    const created: ApiKey = {
      ...SITE_KEY,
      id: 'k-2',
      name: 'CRM-бот',
      role: 'manager',
      prefix: 'amoi_Xk3f9aQ',
    };
    req.flush({ apiKey: created, key: SECRET }, { status: 201, statusText: 'Created' });
    await settle();

    expect(text(overlayTestId('api-key-secret'))).toBe(SECRET);
    expect(text(overlayTestId('api-key-created'))).toContain('показан только один раз');
    expect(text(overlayTestId('api-key-usage'))).toBe(`X-Api-Key: ${SECRET}`);

    overlayTestId('api-key-copy').click();
    await settle();
    expect(copy).toHaveBeenCalledWith(SECRET);
    expect(snackBarText()).toContain('Ключ скопирован.');

    overlayTestId('api-key-done').click();
    await settle();

    // Gone for good: neither the dialog nor the page holds the key any more.
    expect(queryOverlayTestId('api-key-secret')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(text(byTestId(fixture, 'api-key-row-CRM-бот'))).toContain('Менеджер');
  });

  it('does not close the "shown once" step by a click outside or Esc', async () => {
    byTestId(fixture, 'api-keys-create').click();
    await settle();
    typeInto(overlayTestId('api-key-name'), 'CRM-бот');
    overlayTestId('api-key-create-submit').click();
    await settle();
    backend
      .expectOne('/api/v1/api-keys')
      .flush({ apiKey: { ...SITE_KEY, id: 'k-2', name: 'CRM-бот' }, key: SECRET });
    await settle();

    document.querySelector<HTMLElement>('.cdk-overlay-backdrop')?.click();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();

    expect(queryOverlayTestId('api-key-secret')).not.toBeNull();
  });

  it('revokes a key after confirmation; it stays listed as revoked, with no revoke button', async () => {
    byTestId(fixture, 'api-key-revoke').click();
    await settle();
    expect(text(document.querySelector('app-confirm-dialog'))).toContain(
      'Ключ «Сайт — форма заявки» сразу перестанет работать',
    );
    overlayTestId('confirm-ok').click();
    await settle();

    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/api-keys/k-1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();

    expect(snackBarText()).toContain('Ключ «Сайт — форма заявки» отозван.');
    backend.expectOne('/api/v1/api-keys').flush([{ ...SITE_KEY, revokedAt: '2026-03-02T10:00:00.000Z' }]);
    await settle();

    expect(document.querySelector('[data-testid="api-keys-empty"]')).toBeNull();
    const row = byTestId(fixture, 'api-key-row-Сайт — форма заявки');
    expect(row.dataset['revoked']).toBe('true');
    expect(text(row.querySelector('[data-testid="api-key-revoked"]'))).toContain('отозван');
    expect(row.querySelector('[data-testid="api-key-revoke"]')).toBeNull();
  });
});
