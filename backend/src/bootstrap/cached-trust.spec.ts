import express from 'express';
import { cachedTrust, type TrustProxyFn } from './cached-trust';

describe('cachedTrust', () => {
  const addresses = [
    '127.0.0.1',
    '::ffff:127.0.0.1',
    '::1',
    '10.0.0.7',
    '192.168.1.20',
    '203.0.113.9',
    'junk',
  ];

  it.each(['loopback', 'loopback, uniquelocal', '10.0.0.0/8', '203.0.113.9'])(
    'answers what the Express check for the setting %s answers, asked twice',
    (setting) => {
      const compiled = express().set('trust proxy', setting).get('trust proxy fn') as TrustProxyFn;
      const cached = cachedTrust(compiled);
      for (const round of [1, 2])
        for (const address of addresses)
          for (const hop of [0, 1])
            expect([round, address, hop, cached(address, hop)]).toEqual([
              round,
              address,
              hop,
              compiled(address, hop),
            ]);
    },
  );

  it('keeps the hop in the key (a hop-count setting answers by hop alone)', () => {
    const twoHops = (_address: string | undefined, hop: number): boolean => hop < 2;
    const cached = cachedTrust(twoHops);
    expect([0, 1, 2, 3].map((hop) => cached('10.0.0.1', hop))).toEqual([true, true, false, false]);
  });

  it('parses an address once, and stays bounded', () => {
    const trust = jest.fn((address: string | undefined) => address === '127.0.0.1');
    const cached = cachedTrust(trust, 3);
    for (let i = 0; i < 5; i++) expect(cached('127.0.0.1', 0)).toBe(true);
    expect(trust).toHaveBeenCalledTimes(1);
    for (const address of ['a', 'b', 'c']) expect(cached(address, 0)).toBe(false);
    // full at 3: the fourth address starts the cache again, so 127.0.0.1 is parsed once more
    expect(cached('127.0.0.1', 0)).toBe(true);
    expect(trust).toHaveBeenCalledTimes(5);
    expect(cached(undefined, 0)).toBe(false);
  });
});
