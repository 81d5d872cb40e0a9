import { encodeForm } from '../amocrm/form-encoding';
import { postWebhook, WEBHOOK_CONTENT_TYPE as FORM_CONTENT_TYPE } from '../amocrm/webhook-dispatcher';

const USER_AGENT = 'LPTracker-Callback/1.0';

/**
 * Posts lead webhooks to callback URLs: in order per URL, after the API answer, each failed attempt
 * (no answer, or a status other than 2xx) retried after a pause until the attempts run out.
 */

export type CallbackBodyFormat = 'form' | 'json';

export type CallbackDeliveryState = 'pending' | 'delivered' | 'failed';

export interface CallbackDelivery {
  id: number;
  projectId: number;
  leadId: number;
  callbackId: number;
  url: string;
  action: string;
  format: CallbackBodyFormat;
  /** The JSON payload as sent (inside the form field `data` for the form format). */
  payload: string;
  state: CallbackDeliveryState;
  attempts: number;
  /** Status of the last attempt; null when the URL could not be reached. */
  statusCode: number | null;
  error: string | null;
  queuedAt: number;
  lastAttemptAt: number | null;
}

export interface CallbackDeliveryFilter {
  url?: string;
  leadId?: number;
  state?: CallbackDeliveryState;
}

export interface DispatchPolicy {
  attempts: number;
  retryDelaysMs: number[];
  timeoutMs: number;
}

export type NewDelivery = Pick<
  CallbackDelivery,
  'projectId' | 'leadId' | 'callbackId' | 'url' | 'action' | 'format' | 'payload'
>;

export class LpCallbackDispatcher {
  private readonly deliveries: CallbackDelivery[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly nextId: () => number,
    private readonly policy: () => DispatchPolicy,
    private readonly keep: number,
  ) {}

  enqueue(input: NewDelivery): CallbackDelivery {
    const delivery: CallbackDelivery = {
      ...input,
      id: this.nextId(),
      state: 'pending',
      attempts: 0,
      statusCode: null,
      error: null,
      queuedAt: Date.now(),
      lastAttemptAt: null,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > this.keep) this.deliveries.splice(0, this.deliveries.length - this.keep);
    const chain = (this.chains.get(input.url) ?? Promise.resolve()).then(() => this.deliver(delivery));
    this.chains.set(input.url, chain);
    return delivery;
  }

  list(filter: CallbackDeliveryFilter = {}): CallbackDelivery[] {
    return this.deliveries
      .filter((delivery) => filter.url === undefined || delivery.url === filter.url)
      .filter((delivery) => filter.leadId === undefined || delivery.leadId === filter.leadId)
      .filter((delivery) => filter.state === undefined || delivery.state === filter.state)
      .map((delivery) => ({ ...delivery }));
  }

  /** Resolves once everything queued so far (retries included) has been delivered or given up. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.chains.values()];
      await Promise.all(pending);
      if ([...this.chains.values()].every((chain, index) => chain === pending[index])) return;
    }
  }

  close(): void {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private async deliver(delivery: CallbackDelivery): Promise<void> {
    const { attempts, retryDelaysMs, timeoutMs } = this.policy();
    while (!this.closed && delivery.attempts < Math.max(1, attempts)) {
      if (delivery.attempts > 0) {
        const index = Math.min(delivery.attempts - 1, retryDelaysMs.length - 1);
        await this.pause(retryDelaysMs[index] ?? 0);
        if (this.closed) break;
      }
      delivery.attempts += 1;
      delivery.lastAttemptAt = Date.now();
      try {
        delivery.statusCode = await post(delivery, timeoutMs);
        delivery.error = null;
        if (delivery.statusCode >= 200 && delivery.statusCode < 300) {
          delivery.state = 'delivered';
          return;
        }
      } catch (error) {
        delivery.statusCode = null;
        delivery.error = error instanceof Error ? error.message : String(error);
      }
    }
    delivery.state = 'failed';
    if (this.closed && delivery.error === null) delivery.error = 'sandbox closed';
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}

function post(delivery: CallbackDelivery, timeoutMs: number): Promise<number> {
  return delivery.format === 'form'
    ? postWebhook(
        delivery.url,
        encodeForm({ data: delivery.payload }),
        timeoutMs,
        FORM_CONTENT_TYPE,
        USER_AGENT,
      )
    : postWebhook(delivery.url, delivery.payload, timeoutMs, 'application/json', USER_AGENT);
}
