/** Who did it: a signed-in user, an API key, the service itself, or nobody signed in (failed logins). */
export type AuditActorType = 'user' | 'api_key' | 'system' | 'anonymous';

/** One entry of `GET /api/v1/audit`. */
export interface AuditEntry {
  id: string;
  /** ISO date-time. */
  at: string;
  /** One of `AuditActorType`; a newer backend may send others. */
  actorType: string;
  actorId: string | null;
  /** E-mail of the user or name of the API key. */
  actor: string | null;
  /** e.g. `user.role_changed`, `auth.login_failed`, later `amocrm.*`. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Readonly<Record<string, unknown>> | null;
  ip: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
  page: number;
  limit: number;
}

/** Query of `GET /api/v1/audit`; empty filters are left out. */
export interface AuditQuery {
  /** ISO date-time, inclusive. */
  from?: string;
  to?: string;
  /** Part of the e-mail or key name, or the exact actor id. */
  actor?: string;
  /** An action or its beginning (`auth.`). */
  action?: string;
  /** A column (`at`, `actor`, `action`); newest first when absent. */
  sort?: string;
  order?: 'asc' | 'desc';
  /** From 1. */
  page: number;
  /** Up to 100. */
  limit: number;
}
