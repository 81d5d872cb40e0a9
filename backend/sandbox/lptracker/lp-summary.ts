import type { LpAccount, LpAccountCredentials } from './lp-account';
import type { LpAccountSettings } from './lp-runtime';

export interface LpAccountSummary extends LpAccountCredentials {
  logins: string[];
  settings: LpAccountSettings;
  projects: { id: number; name: string; callbackUrls: number }[];
  counts: { contacts: number; leads: number; staff: number; callbackCalls: number; liveTokens: number };
}

export function summarizeLpAccount(account: LpAccount): LpAccountSummary {
  return {
    ...account.credentials,
    logins: [...account.logins.keys()],
    settings: { ...account.settings },
    projects: [...account.projects.values()].map((project) => ({
      id: project.id,
      name: project.name,
      callbackUrls: project.callbacks.length,
    })),
    counts: {
      contacts: account.contacts.size,
      leads: account.leads.size,
      staff: account.staff.length,
      callbackCalls: account.callbackCalls.length,
      liveTokens: account.sessions.live().length,
    },
  };
}
