import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { connection, problem } from '../../testing/amocrm-fixtures';
import { settle } from '../../testing/overlay-helpers';
import {
  byTestId,
  makeUser,
  queryTestId,
  registerIcons,
  storeSession,
  text,
} from '../../testing/test-helpers';
import type { Role } from '../core/auth/auth.models';
import { AmocrmBanner } from './amocrm-banner';
import type { AmocrmConnection } from '../core/amocrm/amocrm.models';

describe('AmocrmBanner', () => {
  let fixture: ComponentFixture<AmocrmBanner>;
  let backend: HttpTestingController;

  async function render(role: Role = 'admin'): Promise<void> {
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    registerIcons();
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AmocrmBanner);
    await fixture.whenStable();
  }

  async function answer(value: AmocrmConnection): Promise<void> {
    backend.expectOne('/api/v1/connections/amocrm').flush(value);
    await settle();
  }

  afterEach(() => backend.verify());

  it('asks to reconnect when amoCRM needs it, with a link to the connection page', async () => {
    await render();
    await answer(connection({ status: 'needs_reauth' }));
    expect(text(byTestId(fixture, 'amocrm-banner'))).toContain('amoCRM отключилась: нужно подключить заново');
    expect(byTestId(fixture, 'amocrm-banner-link').getAttribute('href')).toBe('/connections/amocrm');
  });

  it('says why the sync is stopped when the connection is paused', async () => {
    await render();
    await answer(connection({ status: 'paused', pausedReason: 'payment_required' }));
    expect(text(byTestId(fixture, 'amocrm-banner'))).toContain(
      'Обмен с amoCRM остановлен: подписка amoCRM не оплачена',
    );
  });

  it('stays hidden while everything works', async () => {
    await render();
    await answer(connection());
    expect(queryTestId(fixture, 'amocrm-banner')).toBeNull();
  });

  it('asks again after navigation', async () => {
    await render();
    await answer(connection());
    await TestBed.inject(Router).navigateByUrl('/');
    await answer(connection({ status: 'needs_reauth' }));
    expect(queryTestId(fixture, 'amocrm-banner')).not.toBeNull();
  });
});

describe('AmocrmBanner polling', () => {
  afterEach(() => vi.useRealTimers());

  function setUp(role: Role): { backend: HttpTestingController; fixture: ComponentFixture<AmocrmBanner> } {
    vi.useFakeTimers();
    localStorage.clear();
    storeSession(makeUser(role));
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    registerIcons();
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(AmocrmBanner);
    fixture.detectChanges();
    return { backend, fixture };
  }

  it('asks for the status every 60 seconds, and stops when signed out of the shell', () => {
    const { backend, fixture } = setUp('admin');
    vi.advanceTimersByTime(0);
    backend.expectOne('/api/v1/connections/amocrm').flush(connection());
    vi.advanceTimersByTime(59_000);
    backend.expectNone('/api/v1/connections/amocrm');
    vi.advanceTimersByTime(1_000);
    backend.expectOne('/api/v1/connections/amocrm').flush(connection({ status: 'needs_reauth' }));
    fixture.detectChanges();
    expect(queryTestId(fixture, 'amocrm-banner')).not.toBeNull();

    fixture.destroy();
    vi.advanceTimersByTime(120_000);
    backend.expectNone('/api/v1/connections/amocrm');
  });

  it('stops asking when the role may not read the connection', () => {
    const { backend, fixture } = setUp('viewer');
    vi.advanceTimersByTime(0);
    backend.expectOne('/api/v1/connections/amocrm').flush(...problem(403, { title: 'Forbidden' }));
    vi.advanceTimersByTime(120_000);
    backend.expectNone('/api/v1/connections/amocrm');
    fixture.detectChanges();
    expect(queryTestId(fixture, 'amocrm-banner')).toBeNull();
  });
});
