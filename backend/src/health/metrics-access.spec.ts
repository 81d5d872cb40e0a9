import type { IncomingMessage } from 'node:http';
import { metricsRefusal } from './metrics-access';

const TOKEN = 'a-metrics-token-of-enough-length-123';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('metricsRefusal', () => {
  it('without a token serves direct loopback callers only', () => {
    expect(metricsRefusal(request('127.0.0.1'), undefined)).toBeNull();
    expect(metricsRefusal(request('::1'), undefined)).toBeNull();
    expect(metricsRefusal(request('::ffff:127.0.0.1'), undefined)).toBeNull();
    for (const address of ['10.0.0.5', '172.18.0.3', '::ffff:192.168.1.2', '2001:db8::1', ''])
      expect(metricsRefusal(request(address), undefined)?.status).toBe(403);
    expect(metricsRefusal(request('127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }), undefined)?.status).toBe(
      403,
    );
  });

  it('with a token wants it as a bearer token from anywhere, and nothing else', () => {
    expect(metricsRefusal(request('10.0.0.5', { authorization: `Bearer ${TOKEN}` }), TOKEN)).toBeNull();
    expect(metricsRefusal(request('10.0.0.5', { authorization: `bearer ${TOKEN}` }), TOKEN)).toBeNull();
    for (const authorization of [
      '',
      `Bearer ${TOKEN}-`,
      `Bearer ${TOKEN.slice(1)}`,
      TOKEN,
      `Basic ${TOKEN}`,
    ]) {
      const refusal = metricsRefusal(request('10.0.0.5', { authorization }), TOKEN);
      expect([authorization, refusal?.status]).toEqual([authorization, 401]);
      expect(refusal?.headers['WWW-Authenticate']).toBe('Bearer realm="metrics"');
    }
    // loopback is no exception once a token is set
    expect(metricsRefusal(request('127.0.0.1'), TOKEN)?.status).toBe(401);
  });
});
