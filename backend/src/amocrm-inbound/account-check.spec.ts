import { accountVerdict, ConnectedAccountCache } from './account-check';

const connected = { accountId: 31000001, subdomain: 'demo' };

describe('the account check of a delivery', () => {
  it('lets through the connected account and refuses another one or a workspace without a connection', () => {
    expect(accountVerdict(connected, { id: 31000001, subdomain: 'demo' })).toEqual({ ok: true });
    expect(accountVerdict(connected, { id: 31000001, subdomain: 'DEMO' })).toEqual({ ok: true });
    expect(accountVerdict(connected, { id: 31000002, subdomain: 'demo' })).toMatchObject({
      ok: false,
      reason: 'account_mismatch',
      detail: expect.stringContaining('31000002'),
    });
    expect(accountVerdict(connected, { id: 31000001, subdomain: 'other' })).toMatchObject({
      ok: false,
      reason: 'account_mismatch',
    });
    expect(accountVerdict(connected, { id: null, subdomain: null })).toMatchObject({ ok: false });
    expect(accountVerdict(null, { id: 31000001, subdomain: 'demo' })).toMatchObject({
      ok: false,
      reason: 'amocrm_not_connected',
    });
  });

  it('remembers the connected account for a few seconds', async () => {
    let now = 0;
    const lookup = jest.fn().mockResolvedValue(connected);
    const cache = new ConnectedAccountCache(lookup, 5_000, () => now);
    await cache.verify('ws', { id: 31000001, subdomain: 'demo' });
    now = 4_999;
    await cache.verify('ws', { id: 31000001, subdomain: 'demo' });
    expect(lookup).toHaveBeenCalledTimes(1);
    now = 5_000;
    await cache.verify('ws', { id: 31000001, subdomain: 'demo' });
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});
