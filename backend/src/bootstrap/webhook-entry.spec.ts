import type { IncomingMessage } from 'node:http';
import { clientAddress, webhookTarget } from './webhook-entry';

function request(remoteAddress: string | undefined, forwarded?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  } as unknown as IncomingMessage;
}

describe('webhookTarget', () => {
  it('names the source and secret of a delivery address as Express matched it', () => {
    for (const url of [
      '/webhooks/amocrm/s3cret',
      '/webhooks/amocrm/s3cret/',
      '/WEBHOOKS/amocrm/s3cret',
      '/webhooks/amocrm/s3cret?x=1&y=/a/b',
    ]) {
      expect([url, webhookTarget(url)]).toEqual([url, { source: 'amocrm', secret: 's3cret' }]);
    }
    expect(webhookTarget('/webhooks/a%2Fb/c%20d')).toEqual({ source: 'a/b', secret: 'c d' });
  });

  it('answers other for any other path under /webhooks, undefined outside it', () => {
    for (const url of [
      '/webhooks',
      '/webhooks/',
      '/webhooks?x',
      '/webhooks/amocrm',
      '/webhooks/amocrm/s/extra',
      '/webhooks//s',
      '/webhooks/amocrm//',
      '/webhooks/amocrm/%E0%A4%A',
    ]) {
      expect([url, webhookTarget(url)]).toEqual([url, 'other']);
    }
    for (const url of ['/', '/webhook', '/webhooksx/a/b', '/api/v1/webhooks/a/b', '/health/live']) {
      expect([url, webhookTarget(url)]).toEqual([url, undefined]);
    }
  });
});

describe('clientAddress', () => {
  const loopback = (address: string | undefined): boolean =>
    address === '127.0.0.1' || address === '::ffff:127.0.0.1';

  it('is the peer when it is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('::ffff:198.51.100.7', '203.0.113.9'), loopback)).toBe('198.51.100.7');
    expect(clientAddress(request('198.51.100.7'), () => false)).toBe('198.51.100.7');
    expect(clientAddress(request(undefined), () => true)).toBe('unknown');
  });

  it('walks X-Forwarded-For from the right while the hops are trusted, as proxy-addr does', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), loopback)).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 10.0.0.2 ,127.0.0.1'), loopback)).toBe(
      '10.0.0.2',
    );
    // a hop count of 2: the peer and the next proxy are trusted
    const twoHops = (_address: string | undefined, hop: number): boolean => hop < 2;
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 10.0.0.2, 10.0.0.3'), twoHops)).toBe('10.0.0.2');
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), () => true)).toBe('203.0.113.9');
  });
});
