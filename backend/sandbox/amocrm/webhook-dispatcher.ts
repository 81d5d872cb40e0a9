import http from 'node:http';
import https from 'node:https';

/**
 * Sends outgoing webhooks one at a time per account, in order, after the API answer. Every
 * attempt is recorded; failures are not retried unless someone asks for a re-send.
 */

export const WEBHOOK_USER_AGENT = 'amoCRM-WebHook-client/1.0';
export const WEBHOOK_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: number;
  subscriptionId: number | null;
  destination: string;
  /** `status_lead`, `add_contact`… */
  event: string;
  body: string;
  state: DeliveryState;
  /** HTTP status the destination answered; null when it could not be reached. */
  statusCode: number | null;
  error: string | null;
  queuedAt: number;
  sentAt: number | null;
  durationMs: number | null;
  resendOf: number | null;
}

export interface DeliveryFilter {
  destination?: string;
  event?: string;
  state?: DeliveryState;
}

export class WebhookDispatcher {
  private readonly deliveries: WebhookDelivery[] = [];
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly nextId: () => number,
    private readonly timeoutMs: number,
    private readonly keep: number,
  ) {}

  enqueue(
    destination: string,
    event: string,
    body: string,
    subscriptionId: number | null,
    resendOf: number | null = null,
  ): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: this.nextId(),
      subscriptionId,
      destination,
      event,
      body,
      state: 'pending',
      statusCode: null,
      error: null,
      queuedAt: Date.now(),
      sentAt: null,
      durationMs: null,
      resendOf,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > this.keep) this.deliveries.splice(0, this.deliveries.length - this.keep);
    this.tail = this.tail.then(() => this.send(delivery));
    return delivery;
  }

  resend(id: number): WebhookDelivery | undefined {
    const original = this.deliveries.find((delivery) => delivery.id === id);
    return original
      ? this.enqueue(
          original.destination,
          original.event,
          original.body,
          original.subscriptionId,
          original.id,
        )
      : undefined;
  }

  list(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.deliveries
      .filter(
        (delivery) =>
          (filter.destination === undefined || delivery.destination === filter.destination) &&
          (filter.event === undefined || delivery.event === filter.event) &&
          (filter.state === undefined || delivery.state === filter.state),
      )
      .map((delivery) => ({ ...delivery }));
  }

  get size(): number {
    return this.deliveries.length;
  }

  /** Resolves once everything queued so far has been attempted. */
  idle(): Promise<void> {
    return this.tail;
  }

  close(): void {
    this.closed = true;
  }

  private async send(delivery: WebhookDelivery): Promise<void> {
    if (this.closed) {
      delivery.state = 'failed';
      delivery.error = 'sandbox closed';
      return;
    }
    const started = Date.now();
    delivery.sentAt = started;
    try {
      delivery.statusCode = await postWebhook(delivery.destination, delivery.body, this.timeoutMs);
      delivery.state = delivery.statusCode >= 200 && delivery.statusCode < 300 ? 'delivered' : 'failed';
    } catch (error) {
      delivery.state = 'failed';
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    delivery.durationMs = Date.now() - started;
  }
}

/** POSTs one webhook body; answers the status (also used by the LPTracker sandbox). */
export function postWebhook(
  destination: string,
  body: string,
  timeoutMs: number,
  contentType = WEBHOOK_CONTENT_TYPE,
  userAgent = WEBHOOK_USER_AGENT,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(destination);
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: {
          'Content-Type': contentType,
          'User-Agent': userAgent,
          'Content-Length': Buffer.byteLength(body),
          Accept: '*/*',
          Connection: 'close',
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
