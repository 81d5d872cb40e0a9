/** Types of `/api/v1/connections/amocrm*` (see `backend/src/amocrm/dto`, `backend/src/amocrm-inbound/dto/amocrm-webhook.dto.ts`). */

export const AMOCRM_CONNECTION_STATUSES = ['connected', 'needs_reauth', 'paused', 'not_connected'] as const;
export type AmocrmConnectionStatus = (typeof AMOCRM_CONNECTION_STATUSES)[number];

export const AMOCRM_PAUSE_REASONS = ['payment_required', 'blocked', 'forbidden'] as const;
export type AmocrmPauseReason = (typeof AMOCRM_PAUSE_REASONS)[number];

/** `GET /connections/amocrm`: the workspace's connection; secrets never leave the server. */
export interface AmocrmConnection {
  status: AmocrmConnectionStatus;
  authKind: 'oauth' | 'long_lived' | null;
  accountId: number | null;
  accountName: string | null;
  subdomain: string | null;
  tokenExpiresAt: string | null;
  /** The last problem, in English (from the backend). */
  lastError: string | null;
  pausedReason: AmocrmPauseReason | null;
  connectedAt: string | null;
  source?: 'manual' | 'env' | 'demo' | null;
  clientId?: string | null;
  redirectUri?: string | null;
}

/** `PUT /connections/amocrm` with an OAuth client (then open the authorize URL). */
export interface ConnectOAuthRequest {
  subdomain: string;
  clientId: string;
  clientSecret: string;
  redirectUri?: string;
}

/** `PUT /connections/amocrm` with a long-lived token (checked by the server at once). */
export interface ConnectTokenRequest {
  subdomain: string;
  longLivedToken: string;
}

export interface AmocrmAccountInfo {
  id: number;
  name: string;
  subdomain: string;
  currentUserId: number | null;
  currency: string | null;
}

export interface AmocrmUser {
  id: number;
  name: string;
  email: string | null;
  isAdmin: boolean;
  isActive: boolean;
}

export interface AmocrmStatus {
  /** 142 = won and 143 = lost in every pipeline. */
  id: number;
  name: string;
  color: string | null;
  /** 0 a regular stage, 1 incoming (unsorted). */
  type: number;
  sort?: number;
}

export interface AmocrmPipeline {
  id: number;
  name: string;
  isMain: boolean;
  isArchive?: boolean;
  sort?: number;
  statuses: AmocrmStatus[];
}

export interface AmocrmFieldEnum {
  id: number;
  value: string;
  sort?: number;
}

export interface AmocrmCustomField {
  id: number;
  name: string;
  code: string | null;
  type: string;
  sort?: number;
  enums: AmocrmFieldEnum[] | null;
}

/** `GET /connections/amocrm/metadata`: the cached account metadata. */
export interface AmocrmMetadata {
  fetchedAt: string;
  account: AmocrmAccountInfo;
  users: AmocrmUser[];
  pipelines: AmocrmPipeline[];
  contactFields: AmocrmCustomField[];
  leadFields: AmocrmCustomField[];
}

/** Events amoCRM can send to the webhook (`AMOCRM_WEBHOOK_EVENTS` of the backend). */
export const AMOCRM_WEBHOOK_EVENTS = [
  'add_lead',
  'update_lead',
  'status_lead',
  'delete_lead',
  'restore_lead',
  'responsible_lead',
  'note_lead',
  'add_contact',
  'update_contact',
  'delete_contact',
  'restore_contact',
  'responsible_contact',
  'note_contact',
] as const;
export type AmocrmWebhookEvent = (typeof AMOCRM_WEBHOOK_EVENTS)[number];

/** `GET /connections/amocrm/webhook`. */
export interface AmocrmWebhook {
  url: string;
  /** Events subscribed through this service (`null`: never subscribed). */
  events: string[] | null;
  /** Whether amoCRM has the URL registered (`null`: not known, see `registrationUnknownReason`). */
  registered: boolean | null;
  drift: { missing: string[]; unexpected: string[]; staleDestinations: string[] } | null;
  registrationUnknownReason: string | null;
  lastReceivedAt: string | null;
}

/** `POST /connections/amocrm/webhook/rotate-secret`. */
export interface RotatedWebhookSecret {
  url: string;
  subscription: 'moved' | 'not_subscribed' | 'failed';
  detail: string | null;
}

/** What one reconciliation pass found for contacts or leads. */
export interface AmocrmReconcileCounts {
  /** Listed by amoCRM as changed since the last good pass. */
  seen: number;
  /** Fed to the inbox as `reconcile` events (the service did not have that version). */
  queued: number;
  /** Already up to date (a webhook brought them). */
  upToDate: number;
}

/** `GET /connections/amocrm/reconcile`: the last reconciliation pass with amoCRM. */
export interface AmocrmReconcileStatus {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** The pass read what changed in amoCRM from this time on. */
  since: string | null;
  contacts: AmocrmReconcileCounts | null;
  leads: AmocrmReconcileCounts | null;
  running: boolean;
  /** Why the last pass failed, in English (from the backend). */
  lastError: string | null;
}
