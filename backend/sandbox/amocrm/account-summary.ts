import type { AmoAccount, AmoAccountCredentials, AccountSettings } from './account';
import type { FaultKind, GateTarget } from './account-gate';
import type { TokenCallCounters } from './oauth-tokens';

/** The state of one account at a glance (control API and programmatic handle). */
export interface AccountSummary extends AmoAccountCredentials {
  settings: AccountSettings;
  blocked: boolean;
  paymentRequired: boolean;
  pendingFaults: { kind: FaultKind; remaining: number; target: GateTarget | 'any' }[];
  counts: {
    contacts: number;
    leads: number;
    companies: number;
    deletedContacts: number;
    deletedLeads: number;
    webhooks: number;
    deliveries: number;
    requests: number;
  };
  tokenCalls: TokenCallCounters;
  users: { id: number; name: string; isAdmin: boolean }[];
  currentUserId: number;
  managerUserId: number;
}

export function summarizeAccount(account: AmoAccount): AccountSummary {
  const data = account.data;
  const contacts = [...data.contacts.values()];
  const leads = [...data.leads.values()];
  return {
    ...account.credentials,
    settings: { ...account.settings },
    blocked: account.gate.blocked,
    paymentRequired: account.gate.paymentRequired,
    pendingFaults: account.gate.pendingFaults,
    counts: {
      contacts: contacts.filter((contact) => !contact.isDeleted).length,
      leads: leads.filter((lead) => !lead.isDeleted).length,
      companies: data.companies.size,
      deletedContacts: contacts.filter((contact) => contact.isDeleted).length,
      deletedLeads: leads.filter((lead) => lead.isDeleted).length,
      webhooks: account.webhooks.list().length,
      deliveries: account.dispatcher.size,
      requests: account.requestLog.size,
    },
    tokenCalls: account.tokenCalls,
    users: data.users.map((user) => ({ id: user.id, name: user.name, isAdmin: user.isAdmin })),
    currentUserId: data.currentUserId,
    managerUserId: data.managerUserId,
  };
}
