import {
  amocrmBaseUrl,
  amocrmConsentUrl,
  AmocrmDomainError,
  normaliseAmocrmDomain,
  refererMatches,
} from './amocrm-domain';

describe('amoCRM account addresses', () => {
  it.each([
    ['mycompany', { subdomain: 'mycompany', zone: null }],
    ['  MyCompany ', { subdomain: 'mycompany', zone: null }],
    ['mycompany.amocrm.ru', { subdomain: 'mycompany', zone: 'amocrm.ru' }],
    ['https://mycompany.kommo.com/', { subdomain: 'mycompany', zone: 'kommo.com' }],
    ['https://mycompany.amocrm.com/leads/pipeline/1?x=1', { subdomain: 'mycompany', zone: 'amocrm.com' }],
    ['mycompany.amocrm.ru/', { subdomain: 'mycompany', zone: 'amocrm.ru' }],
    ['my-company-2', { subdomain: 'my-company-2', zone: null }],
  ])('normalises %s', (input, expected) => {
    expect(normaliseAmocrmDomain(input)).toEqual(expected);
  });

  it.each([
    '',
    'evil.example.com',
    'my_company',
    '-abc',
    'ftp://mycompany.amocrm.ru',
    'a.b.amocrm.ru',
    'https://',
  ])('refuses %j', (input) => {
    expect(() => normaliseAmocrmDomain(input)).toThrow(AmocrmDomainError);
  });

  it('builds the base URL from the template, keeping the zone the admin named', () => {
    const ru = 'https://{subdomain}.amocrm.ru';
    expect(amocrmBaseUrl(ru, normaliseAmocrmDomain('acme'))).toBe('https://acme.amocrm.ru');
    expect(amocrmBaseUrl(ru, normaliseAmocrmDomain('acme.kommo.com'))).toBe('https://acme.kommo.com');
    expect(amocrmBaseUrl('http://127.0.0.1:4010/{subdomain}', normaliseAmocrmDomain('acme.amocrm.ru'))).toBe(
      'http://127.0.0.1:4010/acme',
    );
  });

  it('points the consent page at www.amocrm.ru for real accounts and at the base for a sandbox', () => {
    const real = new URL(amocrmConsentUrl('https://acme.amocrm.ru', 'client-1', 'st', 'https://x/cb'));
    expect(`${real.origin}${real.pathname}`).toBe('https://www.amocrm.ru/oauth');
    expect(Object.fromEntries(real.searchParams)).toEqual({
      client_id: 'client-1',
      state: 'st',
      mode: 'post_message',
    });
    const kommo = new URL(amocrmConsentUrl('https://acme.kommo.com', 'c', 's', 'https://x/cb'));
    expect(kommo.host).toBe('www.kommo.com');
    const sandbox = new URL(amocrmConsentUrl('http://127.0.0.1:4010/acme', 'c', 's', 'https://x/cb'));
    expect(`${sandbox.origin}${sandbox.pathname}`).toBe('http://127.0.0.1:4010/acme/oauth');
    expect(sandbox.searchParams.get('redirect_uri')).toBe('https://x/cb');
  });

  it('accepts only a referer naming the connected account', () => {
    expect(refererMatches('https://acme.amocrm.ru', 'acme.amocrm.ru')).toBe(true);
    expect(refererMatches('https://acme.amocrm.ru', 'acme.kommo.com')).toBe(true);
    expect(refererMatches('https://acme.amocrm.ru', 'other.amocrm.ru')).toBe(false);
    expect(refererMatches('https://acme.amocrm.ru', 'acme.evil.com')).toBe(false);
    expect(refererMatches('https://acme.amocrm.ru', '')).toBe(false);
    expect(refererMatches('http://127.0.0.1:4010/acme', '127.0.0.1:4010/acme')).toBe(true);
    expect(refererMatches('http://127.0.0.1:4010/acme', '127.0.0.1:4010/other')).toBe(false);
  });
});
