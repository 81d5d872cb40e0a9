/** Settings, id sequences and date forms shared by every account of one LPTracker sandbox server. */

export interface LpSandboxSettings {
  /** Requests per second per login; 0 turns the limit off. */
  rps: number;
  /** A token that has not been used for this long is dead (24 h). */
  tokenIdleSec: number;
  /** HTTP status of a rate-limited answer: 200 (error 503 in the JSON only) or 503 (both). */
  rateLimitHttpStatus: 200 | 503;
  /** How outgoing webhooks are sent: form field `data` (the usual), a raw JSON body, or both. */
  webhookBody: WebhookBodyKind;
  /** Send `action_update_fields` as one comma-joined string instead of an array. */
  updateFieldsAsString: boolean;
  /** Put the lead's `calls_records` in webhook payloads (off: the receiver reads `GET /lead/{id}/calls`). */
  callsInWebhook: boolean;
  /** Attempts per webhook delivery, the first included. */
  webhookAttempts: number;
  /** Pause before each retry (the last value repeats). */
  webhookRetryDelaysMs: number[];
  deliveryTimeoutMs: number;
  maxBodyBytes: number;
  requestLogLimit: number;
  deliveryLogLimit: number;
}

export type WebhookBodyKind = 'form' | 'json' | 'both';

/** Knobs that may differ per account and change at run time. */
export type LpAccountSettings = Pick<
  LpSandboxSettings,
  'rps' | 'tokenIdleSec' | 'rateLimitHttpStatus' | 'webhookBody' | 'updateFieldsAsString' | 'callsInWebhook'
>;

export const DEFAULT_LP_SETTINGS: Readonly<LpSandboxSettings> = {
  rps: 3,
  tokenIdleSec: 86_400,
  rateLimitHttpStatus: 200,
  webhookBody: 'form',
  updateFieldsAsString: false,
  callsInWebhook: true,
  webhookAttempts: 3,
  webhookRetryDelaysMs: [1_000, 5_000],
  deliveryTimeoutMs: 5_000,
  maxBodyBytes: 1024 * 1024,
  requestLogLimit: 10_000,
  deliveryLogLimit: 5_000,
};

export type LpIdKind =
  | 'project'
  | 'custom'
  | 'field'
  | 'stage'
  | 'staff'
  | 'contact'
  | 'detail'
  | 'lead'
  | 'view'
  | 'comment'
  | 'call'
  | 'callback'
  | 'delivery';

const ID_BASES: Readonly<Record<LpIdKind, number>> = {
  project: 60_000,
  custom: 1_870_000,
  field: 920_000,
  stage: 410_000,
  staff: 37_000,
  contact: 52_000_000,
  detail: 88_000_000,
  lead: 71_000_000,
  view: 300_000_000,
  comment: 9_500_000,
  call: 14_000_000,
  callback: 2_000,
  delivery: 0,
};

/** Ids are unique across every account of a server, like LPTracker's. */
export class LpIdSequences {
  private readonly last = new Map<LpIdKind, number>();

  next(kind: LpIdKind): number {
    const id = (this.last.get(kind) ?? ID_BASES[kind]) + 1;
    this.last.set(kind, id);
    return id;
  }
}

export class LpRuntime {
  /** Set once the server listens, e.g. `http://127.0.0.1:4020`. */
  publicUrl = 'http://127.0.0.1';
  readonly ids = new LpIdSequences();

  constructor(readonly settings: LpSandboxSettings) {}
}

/** LPTracker speaks Moscow time (UTC+3 all year) in its formatted dates. */
const MOSCOW_OFFSET_MS = 3 * 3_600_000;

function moscowParts(ms: number): { d: string; m: string; y: string; hh: string; mi: string; ss: string } {
  const date = new Date(ms + MOSCOW_OFFSET_MS);
  const two = (value: number): string => String(value).padStart(2, '0');
  return {
    d: two(date.getUTCDate()),
    m: two(date.getUTCMonth() + 1),
    y: String(date.getUTCFullYear()),
    hh: two(date.getUTCHours()),
    mi: two(date.getUTCMinutes()),
    ss: two(date.getUTCSeconds()),
  };
}

/** `d.m.Y H:i` (`07.12.2026 09:38`): `lead_date`. */
export function formatLeadDate(ms: number): string {
  const p = moscowParts(ms);
  return `${p.d}.${p.m}.${p.y} ${p.hh}:${p.mi}`;
}

/** `dd.mm.yy HH:MM:SS` (`13.05.17 01:08:14`): `created_at` in API answers. */
export function formatCreatedAt(ms: number): string {
  const p = moscowParts(ms);
  return `${p.d}.${p.m}.${p.y.slice(2)} ${p.hh}:${p.mi}:${p.ss}`;
}

/** Reads `d.m.Y H:i` (Moscow time), as `POST /lead` takes `lead_date`; undefined when malformed. */
export function parseLeadDate(value: string): number | undefined {
  const match = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const [, d, m, y, hh, mi] = match.map(Number);
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mi > 59) return undefined;
  const ms = Date.UTC(y, m - 1, d, hh, mi) - MOSCOW_OFFSET_MS;
  return formatLeadDate(ms) === value.trim() ? ms : undefined;
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
