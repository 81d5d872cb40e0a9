import type { AmocrmAccountIdentity } from '../amocrm/connection/amocrm-connections.service';
import type { InboxVerdict } from '../inbox/source-adapter';
import type { DeliveryAccount } from './webhook-delivery';

/** How long a workspace's connected account is remembered on the hot path. */
export const ACCOUNT_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

/**
 * Whether a delivery comes from the account the workspace is connected to: `account[id]` and
 * `account[subdomain]` must both match when sent (amoCRM sends both). Pure.
 */
export function accountVerdict(
  connected: AmocrmAccountIdentity | null,
  account: DeliveryAccount,
): InboxVerdict {
  if (!connected) {
    return {
      ok: false,
      reason: 'amocrm_not_connected',
      detail:
        'amoCRM is not connected for this workspace, so the sending account cannot be checked: connect amoCRM under Connections first.',
    };
  }
  const idMatches = account.id === null || account.id === connected.accountId;
  const subdomainMatches =
    account.subdomain === null || account.subdomain.toLowerCase() === connected.subdomain.toLowerCase();
  if ((account.id === null && account.subdomain === null) || !idMatches || !subdomainMatches) {
    return {
      ok: false,
      reason: 'account_mismatch',
      detail: `The webhook comes from amoCRM account ${account.id ?? '?'} (${account.subdomain ?? '?'}), but this workspace is connected to account ${connected.accountId} (${connected.subdomain}).`,
    };
  }
  return { ok: true };
}

/** The connected account per workspace, remembered for a few seconds (the hot path must stay cheap). */
export class ConnectedAccountCache {
  private readonly entries = new Map<string, { identity: AmocrmAccountIdentity | null; until: number }>();

  constructor(
    private readonly lookup: (workspaceId: string) => Promise<AmocrmAccountIdentity | null>,
    private readonly ttlMs = ACCOUNT_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(workspaceId: string): Promise<AmocrmAccountIdentity | null> {
    const now = this.now();
    const cached = this.entries.get(workspaceId);
    if (cached && cached.until > now) return cached.identity;
    const identity = await this.lookup(workspaceId);
    if (this.entries.size >= CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(workspaceId, { identity, until: now + this.ttlMs });
    return identity;
  }

  async verify(workspaceId: string, account: DeliveryAccount): Promise<InboxVerdict> {
    return accountVerdict(await this.get(workspaceId), account);
  }
}
