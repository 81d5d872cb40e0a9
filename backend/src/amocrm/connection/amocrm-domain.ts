import { createHash } from 'node:crypto';

/**
 * Where an amoCRM account lives: the admin types `mycompany`, `mycompany.amocrm.ru` or
 * `https://mycompany.kommo.com/`; we keep the subdomain and call the account's own domain.
 */

/** The public amoCRM/Kommo zones and the host of their consent page. */
const KNOWN_ZONES: Readonly<Record<string, string>> = {
  'amocrm.ru': 'www.amocrm.ru',
  'amocrm.com': 'www.amocrm.com',
  'kommo.com': 'www.kommo.com',
};

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface AmocrmDomain {
  /** `mycompany` */
  subdomain: string;
  /** The zone the admin named (`amocrm.ru`, `kommo.com`…), or null for a bare subdomain. */
  zone: string | null;
}

/** Why an input is not an account address; the message is shown next to the field. */
export class AmocrmDomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmocrmDomainError';
  }
}

/** `mycompany`, `MyCompany.amocrm.ru`, `https://mycompany.kommo.com/leads` → `{subdomain: 'mycompany', zone}`. */
export function normaliseAmocrmDomain(input: string): AmocrmDomain {
  let text = input.trim().toLowerCase();
  if (text === '') throw new AmocrmDomainError('subdomain is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new AmocrmDomainError('subdomain is not a valid address');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new AmocrmDomainError('subdomain must be an http(s) address');
    text = url.hostname;
  } else {
    text = text.replace(/[/?#].*$/, '');
  }
  text = text.replace(/\.$/, '');
  const dot = text.indexOf('.');
  const subdomain = dot === -1 ? text : text.slice(0, dot);
  const zone = dot === -1 ? null : text.slice(dot + 1);
  if (zone !== null && !(zone in KNOWN_ZONES)) {
    throw new AmocrmDomainError(
      `"${text}" is not an amoCRM address: use mycompany, mycompany.amocrm.ru, mycompany.amocrm.com or mycompany.kommo.com`,
    );
  }
  if (!SUBDOMAIN.test(subdomain)) {
    throw new AmocrmDomainError('subdomain may hold only Latin letters, digits and dashes (e.g. mycompany)');
  }
  return { subdomain, zone };
}

/**
 * The API base of an account from the configured template (`https://{subdomain}.amocrm.ru`). When the
 * template is a public zone and the admin named another public zone (`mycompany.kommo.com`), that zone wins:
 * the account must always be called on its own domain.
 */
export function amocrmBaseUrl(template: string, domain: AmocrmDomain): string {
  const templateZone = publicZoneOf(template.replace('{subdomain}', 'x'));
  if (templateZone && domain.zone && domain.zone !== templateZone)
    return `https://${domain.subdomain}.${domain.zone}`;
  return template.replace('{subdomain}', domain.subdomain).replace(/\/+$/, '');
}

/** The zone (`amocrm.ru`…) of a base URL on a public amoCRM domain; null for anything else (a sandbox). */
export function publicZoneOf(baseUrl: string): string | null {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return null;
  }
  const dot = host.indexOf('.');
  const zone = dot === -1 ? '' : host.slice(dot + 1);
  return zone in KNOWN_ZONES ? zone : null;
}

/**
 * The consent page: `https://www.amocrm.ru/oauth?client_id=…&state=…&mode=post_message` for public accounts;
 * `<base>/oauth?…&redirect_uri=…` for any other base (the sandbox emulates the page there).
 */
export function amocrmConsentUrl(
  baseUrl: string,
  clientId: string,
  state: string,
  redirectUri: string,
): string {
  const zone = publicZoneOf(baseUrl);
  const url = new URL(zone ? `https://${KNOWN_ZONES[zone]}/oauth` : `${baseUrl.replace(/\/+$/, '')}/oauth`);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('state', state);
  url.searchParams.set('mode', 'post_message');
  if (!zone) url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

/**
 * Whether the `referer` of an OAuth redirect (`mycompany.amocrm.ru`, or `127.0.0.1:4010/demo` for the sandbox)
 * names the account the connection is bound to.
 */
export function refererMatches(baseUrl: string, referer: string): boolean {
  const strip = (text: string): string =>
    text
      .trim()
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
      .replace(/\/+$/, '');
  const expected = strip(baseUrl);
  const given = strip(referer);
  if (given === '' || given !== expected) {
    // amoCRM may name the same account on another public zone (amocrm.ru ⇄ kommo.com).
    const zone = publicZoneOf(baseUrl);
    if (!zone || given.includes('/')) return false;
    try {
      const domain = normaliseAmocrmDomain(given);
      return domain.zone !== null && domain.subdomain === strip(baseUrl).split('.')[0];
    } catch {
      return false;
    }
  }
  return true;
}

/** A short stable key naming one amoCRM account (by its API base) in Redis: limiter, pause flag. */
export function amocrmAccountKey(baseUrl: string): string {
  return createHash('sha256')
    .update(baseUrl.trim().toLowerCase().replace(/\/+$/, ''))
    .digest('hex')
    .slice(0, 20);
}
