import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';

import {
  WEBHOOK,
  renderAmocrmPage,
  type AmocrmPageOptions,
  type RenderedAmocrmPage,
} from '../../testing/amocrm-page-harness';
import { METADATA, NOT_CONNECTED, connection, problem } from '../../testing/amocrm-fixtures';
import { clearOverlays, settle, snackBarText } from '../../testing/overlay-helpers';
import { byTestId, queryTestId, text, typeInto } from '../../testing/test-helpers';
import type { AmocrmConnection } from '../core/amocrm/amocrm.models';
import type AmocrmPage from './amocrm-page';

/**
 * Connecting amoCRM on its page: the long-lived token form, the OAuth integration and amoCRM's consent page, and
 * what the page says when it comes back. The rest of the page: amocrm-page.spec.ts.
 */
describe('AmocrmPage: connecting', () => {
  let fixture: ComponentFixture<AmocrmPage>;
  let backend: HttpTestingController;
  let openUrl: RenderedAmocrmPage['openUrl'];

  async function render(
    answer: AmocrmConnection | 'forbidden',
    options: AmocrmPageOptions = {},
  ): Promise<void> {
    ({ fixture, backend, openUrl } = await renderAmocrmPage(answer, options));
  }

  afterEach(() => {
    backend.verify();
    clearOverlays();
  });

  function statusChip(): HTMLElement {
    return byTestId(fixture, 'amocrm-status');
  }

  it('connects with a long-lived token: PUT with the subdomain and the token', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();

    typeInto(byTestId(fixture, 'amocrm-subdomain'), ' romashka ');
    typeInto(byTestId(fixture, 'amocrm-token'), 'a'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    const req = backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' });
    expect(req.request.body).toEqual({ subdomain: 'romashka', longLivedToken: 'a'.repeat(40) });
    req.flush(connection());
    await settle();
    backend.expectOne('/api/v1/connections/amocrm/metadata').flush(METADATA);
    backend.expectOne('/api/v1/connections/amocrm/webhook').flush(WEBHOOK);
    await settle();

    // connected, but no webhook yet: amoCRM's changes do not arrive until it is subscribed
    expect(text(statusChip())).toBe('Работает с перебоями');
    expect(statusChip().getAttribute('data-status')).toBe('connected');
    expect(snackBarText()).toContain('amoCRM подключена: ООО «Ромашка».');
    expect(queryTestId(fixture, 'amocrm-connect')).toBeNull();
  });

  it('keeps the token form filled in and says when amoCRM is unavailable', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'romashka');
    typeInto(byTestId(fixture, 'amocrm-token'), 'b'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    backend
      .expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' })
      .flush(...problem(503, { type: 'urn:problem-type:amocrm-unavailable' }, { 'Retry-After': '30' }));
    await settle();

    expect(text(byTestId(fixture, 'amocrm-connect-error'))).toContain(
      'amoCRM сейчас недоступна, попробуйте через 30 с',
    );
    expect((byTestId(fixture, 'amocrm-subdomain') as HTMLInputElement).value).toBe('romashka');
    expect((byTestId(fixture, 'amocrm-token') as HTMLTextAreaElement).value).toBe('b'.repeat(40));
  });

  it('puts the server’s field errors on the token form', async () => {
    await render(NOT_CONNECTED);
    byTestId(fixture, 'amocrm-connect-token-tab').click();
    await settle();
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'not a domain');
    typeInto(byTestId(fixture, 'amocrm-token'), 'c'.repeat(40));
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' }).flush(
      ...problem(400, {
        errors: [
          { field: 'subdomain', message: 'subdomain must look like mycompany.amocrm.ru', code: 'subdomain' },
        ],
      }),
    );
    await settle();

    expect(text(fixture.nativeElement as HTMLElement)).toContain(
      'subdomain must look like mycompany.amocrm.ru',
    );
    expect(queryTestId(fixture, 'amocrm-connect-error')).toBeNull();
  });

  it('saves an OAuth integration, then opens amoCRM’s consent page', async () => {
    await render(NOT_CONNECTED);
    expect((byTestId(fixture, 'amocrm-redirect-uri') as HTMLInputElement).value).toBe(
      'https://console.example.com/api/v1/connections/amocrm/callback',
    );
    typeInto(byTestId(fixture, 'amocrm-subdomain'), 'romashka');
    typeInto(byTestId(fixture, 'amocrm-client-id'), 'client-1');
    typeInto(byTestId(fixture, 'amocrm-client-secret'), 'secret-1');
    byTestId(fixture, 'amocrm-connect-submit').click();
    await settle();

    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/connections/amocrm' });
    expect(put.request.body).toEqual({
      subdomain: 'romashka',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      redirectUri: 'https://console.example.com/api/v1/connections/amocrm/callback',
    });
    put.flush(connection({ status: 'not_connected', authKind: 'oauth', clientId: 'client-1' }));
    await settle();
    backend
      .expectOne({ method: 'GET', url: '/api/v1/connections/amocrm/authorize-url' })
      .flush({ url: 'https://www.amocrm.ru/oauth?client_id=client-1&state=xyz' });
    await settle();

    expect(openUrl).toHaveBeenCalledWith('https://www.amocrm.ru/oauth?client_id=client-1&state=xyz');
  });

  it('tells the result of the consent page: connected', async () => {
    await render(connection({ authKind: 'oauth' }), { query: { connected: '1' } });
    expect(text(byTestId(fixture, 'amocrm-callback-message'))).toContain('amoCRM подключена.');
  });

  it('tells the result of the consent page: an error code in plain words', async () => {
    await render(NOT_CONNECTED, { query: { error: 'invalid_state' } });
    const message = text(byTestId(fixture, 'amocrm-callback-message'));
    expect(message).toContain('Не получилось подключить amoCRM');
    expect(message).toContain('Ссылка для подключения устарела или уже использована.');
  });
});
