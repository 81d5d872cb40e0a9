import { asInteger, isRecord } from './json-input';
import { BatchValidation, httpProblem } from './problems';

/** `/api/v4/webhooks`: the account's webhook subscriptions. */

const ENTITIES = ['lead', 'contact', 'company', 'customer', 'task'] as const;
const ACTIONS = ['add', 'update', 'delete', 'restore', 'responsible', 'note'] as const;

/** Event names amoCRM accepts in `settings`. */
export const WEBHOOK_EVENTS: ReadonlySet<string> = new Set([
  ...ENTITIES.flatMap((entity) => ACTIONS.map((action) => `${action}_${entity}`)),
  'status_lead',
]);

export const MAX_WEBHOOKS_PER_ACCOUNT = 100;

export interface WebhookSubscription {
  id: number;
  destination: string;
  settings: string[];
  sort: number;
  createdAt: number;
  updatedAt: number;
  createdBy: number;
  disabled: boolean;
}

export interface WebhookJson {
  id: number;
  destination: string;
  created_at: number;
  updated_at: number;
  account_id: number;
  created_by: number;
  sort: number;
  disabled: boolean;
  settings: string[];
}

export class WebhookSubscriptions {
  private readonly hooks: WebhookSubscription[] = [];

  constructor(private readonly nextId: () => number) {}

  list(destination?: string): WebhookSubscription[] {
    return this.hooks.filter((hook) => destination === undefined || hook.destination === destination);
  }

  /** Validates and adds one; the same destination twice makes two hooks, as amoCRM does. */
  add(body: unknown, createdBy: number, now: number): WebhookSubscription {
    const batch = new BatchValidation();
    const issues = batch.entity('0');
    const raw = isRecord(body) ? body : {};
    if (!isRecord(body)) issues.add('InvalidType', '', 'Request body must be an object');
    const destination = typeof raw.destination === 'string' ? raw.destination : '';
    if (!isHttpUrl(destination))
      issues.add('InvalidType', 'destination', 'destination must be an http(s) URL');
    const settings = Array.isArray(raw.settings) ? (raw.settings as unknown[]) : [];
    if (settings.length === 0)
      issues.add('FieldMissing', 'settings', 'settings must list at least one event');
    settings.forEach((event, index) => {
      if (typeof event !== 'string' || !WEBHOOK_EVENTS.has(event)) {
        issues.add('NotSupportedChoice', `settings.${index}`, `Unknown event ${String(event)}`);
      }
    });
    const sort = raw.sort === undefined ? 1 : asInteger(raw.sort);
    if (sort === undefined) issues.add('InvalidType', 'sort', 'sort must be an integer');
    batch.throwIfInvalid();
    if (this.hooks.length >= MAX_WEBHOOKS_PER_ACCOUNT) {
      throw httpProblem(400, `At most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks per account`);
    }
    const hook: WebhookSubscription = {
      id: this.nextId(),
      destination,
      settings: [...new Set(settings as string[])],
      sort: sort ?? 1,
      createdAt: now,
      updatedAt: now,
      createdBy,
      disabled: false,
    };
    this.hooks.push(hook);
    return hook;
  }

  /** Removes every hook with that destination; answers how many were removed. */
  removeByDestination(destination: string): number {
    const before = this.hooks.length;
    for (let i = this.hooks.length - 1; i >= 0; i -= 1) {
      if (this.hooks[i].destination === destination) this.hooks.splice(i, 1);
    }
    return before - this.hooks.length;
  }

  /** Active hooks subscribed to an event, in `sort` order. */
  subscribersOf(event: string): WebhookSubscription[] {
    return this.hooks
      .filter((hook) => !hook.disabled && hook.settings.includes(event))
      .sort((a, b) => a.sort - b.sort || a.id - b.id);
  }

  render(hook: WebhookSubscription, accountId: number): WebhookJson {
    return {
      id: hook.id,
      destination: hook.destination,
      created_at: hook.createdAt,
      updated_at: hook.updatedAt,
      account_id: accountId,
      created_by: hook.createdBy,
      sort: hook.sort,
      disabled: hook.disabled,
      settings: [...hook.settings],
    };
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
