import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../health/metrics.service';

/** Inbox counters in the shared Prometheus registry. */
@Injectable()
export class InboxMetrics {
  readonly accepted: Counter<'source'>;
  readonly duplicate: Counter<'source'>;
  readonly empty: Counter<'source'>;
  readonly rejected: Counter<'source' | 'reason'>;
  readonly processed: Counter<'source' | 'status'>;
  readonly batchSize: Histogram;
  readonly workerYielding: Gauge;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.accepted = new Counter({
      name: 'inbox_deliveries_accepted_total',
      help: 'Webhook deliveries stored and queued',
      labelNames: ['source'],
      registers,
    });
    this.duplicate = new Counter({
      name: 'inbox_deliveries_duplicate_total',
      help: 'Stored deliveries whose every change an earlier event carried (acknowledged, not processed again)',
      labelNames: ['source'],
      registers,
    });
    this.empty = new Counter({
      name: 'inbox_deliveries_empty_total',
      help: 'Webhook deliveries without any change to process (acknowledged, stored as skipped)',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'inbox_deliveries_rejected_total',
      help: 'Webhook deliveries refused, by reason (unknown_secret, unsupported_content_type, malformed_body, account_mismatch…)',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.processed = new Counter({
      name: 'inbox_events_processed_total',
      help: 'Runs of inbox events by outcome (done, skipped, retry, failed, lease_lost, noop)',
      labelNames: ['source', 'status'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'inbox_intake_batch_size',
      help: 'Deliveries written per database transaction on the hot path',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers,
    });
    this.workerYielding = new Gauge({
      name: 'inbox_worker_yielding',
      help: 'A worker process: 1 while it slows down because webhooks pour in (INBOX_YIELD_ABOVE), else 0',
      registers,
    });
  }
}
