import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { connection } from '../../testing/amocrm-fixtures';
import { makeUser, registerIcons, storeSession, text } from '../../testing/test-helpers';
import { AmocrmConnectionState } from '../core/amocrm/amocrm-connection-state';
import { AmocrmDashboardCard } from './amocrm-dashboard-card';

describe('AmocrmDashboardCard', () => {
  let fixture: ComponentFixture<AmocrmDashboardCard>;

  beforeEach(async () => {
    localStorage.clear();
    storeSession(makeUser('admin'));
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    registerIcons();
    fixture = TestBed.createComponent(AmocrmDashboardCard);
    await fixture.whenStable();
  });

  function card(): HTMLElement {
    return (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>('app-status-card')!;
  }

  it('shows the state the shell last read, in red when amoCRM needs attention', async () => {
    expect(card().getAttribute('data-status')).toBe('unknown');

    TestBed.inject(AmocrmConnectionState).set(connection());
    await fixture.whenStable();
    expect(card().getAttribute('data-status')).toBe('up');
    expect(text(card())).toContain('Подключена');
    expect(text(card())).toContain('ООО «Ромашка»');

    TestBed.inject(AmocrmConnectionState).set(connection({ status: 'needs_reauth' }));
    await fixture.whenStable();
    expect(card().getAttribute('data-status')).toBe('down');
    expect(text(card())).toContain('Нужно подключить заново');
  });

  it('shows a working connection as degraded while amoCRM does not send the webhooks (admins)', async () => {
    const backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AmocrmConnectionState).set(connection());
    backend.expectOne('/api/v1/connections/amocrm/webhook').flush({
      url: 'https://crm.example.com/webhooks/amocrm/s',
      events: null,
      registered: false,
      drift: null,
      registrationUnknownReason: null,
      lastReceivedAt: null,
    });
    await fixture.whenStable();
    expect(card().getAttribute('data-status')).toBe('degraded');
    expect(text(card())).toContain('Работает с перебоями');
    expect(text(card())).toContain('Изменения из amoCRM не приходят');
  });
});
