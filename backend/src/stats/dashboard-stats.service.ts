import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UNFINISHED_STATUSES } from '../inbox/event-status';
import type {
  CapacityAdvice,
  CapacityDto,
  CapacityScope,
  FlowBucket,
  FlowBucketDto,
  FlowDto,
  FlowRange,
  RateDto,
} from './dashboard-stats.dto';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGE_MS: Record<FlowRange, number> = { '24h': DAY, '7d': 7 * DAY };
const BUCKET_MS: Record<FlowBucket, number> = { hour: HOUR, day: DAY };
/** The queue is said to lag when its oldest unfinished event waits longer than this. */
const LAG_WATCH_SECONDS = 60;
const GROWTH_WINDOW_MS = 15 * 60_000;

interface BucketRow {
  b: string | number;
  done: string | number;
  skipped: string | number;
  filtered: string | number;
  retried: string | number;
  failed: string | number;
}

/**
 * The dashboard's charts of the flow, counted from the stored inbox events (not estimated): events by outcome per
 * hour or day, and the measured capacity of the processing over the last day (of the workspace or the installation).
 */
@Injectable()
export class DashboardStatsService {
  constructor(private readonly db: DataSource) {}

  async flow(workspaceId: string, range: FlowRange, bucket: FlowBucket, now = Date.now()): Promise<FlowDto> {
    const size = BUCKET_MS[bucket];
    const count = Math.ceil(RANGE_MS[range] / size);
    const end = Math.floor(now / size) * size + size;
    const start = end - count * size;
    const rows = await this.db.query<BucketRow[]>(
      `SELECT FLOOR(TIMESTAMPDIFF(SECOND, ?, created_at) / ?) AS b,
              SUM(status = 'done' AND attempts <= 1) AS done,
              SUM(status = 'skipped') AS skipped,
              SUM(status = 'skipped' AND skip_reason = 'filtered') AS filtered,
              SUM(status IN ('done', 'received', 'queued', 'processing') AND attempts > 1) AS retried,
              SUM(status = 'failed') AS failed
         FROM inbox_events
        WHERE workspace_id = ? AND created_at >= ? AND created_at < ?
        GROUP BY b`,
      [new Date(start), size / 1000, workspaceId, new Date(start), new Date(end)],
    );
    const byIndex = new Map(rows.map((row) => [Number(row.b), row]));
    const buckets: FlowBucketDto[] = Array.from({ length: count }, (_, index) => {
      const row = byIndex.get(index);
      return {
        start: new Date(start + index * size).toISOString(),
        done: Number(row?.done ?? 0),
        skipped: Number(row?.skipped ?? 0),
        filtered: Number(row?.filtered ?? 0),
        retried: Number(row?.retried ?? 0),
        failed: Number(row?.failed ?? 0),
      };
    });
    const filtered = buckets.reduce((sum, one) => sum + one.filtered, 0);
    return { range, bucket, buckets, filtered };
  }

  /**
   * Measured capacity of one workspace, or of the whole installation (every workspace: what a worker added would
   * serve) for the platform super-admin. Every query names the workspaces, so each reads its index
   * (workspace_id, created_at | status) range by range, never the whole table.
   */
  async capacity(scope: CapacityScope, workspaceId: string, now = Date.now()): Promise<CapacityDto> {
    const workspaceIds = scope === 'installation' ? await this.workspaceIds() : [workspaceId];
    const since = new Date(now - DAY);
    // finished events: received within the day and a little before (the index), finished within the day
    const [webhooks, events, backlog, growth] = await Promise.all([
      this.rate(workspaceIds, 'created_at', since, since),
      this.rate(workspaceIds, 'processed_at', since, new Date(now - DAY - HOUR)),
      this.backlog(workspaceIds, now),
      this.growth(workspaceIds, now),
    ]);
    const advice = advise(backlog.lagSeconds, growth, scope);
    return { scope, webhooks, events, ...backlog, growth, advice };
  }

  private async workspaceIds(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>('SELECT id FROM workspaces');
    return rows.map((row) => row.id);
  }

  private async rate(
    workspaceIds: string[],
    column: 'created_at' | 'processed_at',
    since: Date,
    createdFrom: Date,
  ): Promise<RateDto> {
    // minutes of the clock, so a burst within one minute counts as one
    const origin = new Date(Math.floor(since.getTime() / 60_000) * 60_000);
    const rows =
      workspaceIds.length === 0
        ? []
        : await this.db.query<{ m: string | number; n: string | number }[]>(
            `SELECT FLOOR(TIMESTAMPDIFF(SECOND, ?, ${column}) / 60) AS m, COUNT(*) AS n
               FROM inbox_events
              WHERE workspace_id IN (${marks(workspaceIds)}) AND created_at >= ? AND ${column} >= ?
              GROUP BY m`,
            [origin, ...workspaceIds, createdFrom, since],
          );
    let total = 0;
    let peak = 0;
    let peakMinute: number | null = null;
    for (const row of rows) {
      const n = Number(row.n);
      total += n;
      if (n > peak) {
        peak = n;
        peakMinute = Number(row.m);
      }
    }
    return {
      average: round(total / (DAY / 1000)),
      peak: round(peak / 60),
      peakAt: peakMinute === null ? null : new Date(origin.getTime() + peakMinute * 60_000).toISOString(),
      total,
    };
  }

  private async backlog(
    workspaceIds: string[],
    now: number,
  ): Promise<{ backlog: number; lagSeconds: number | null }> {
    if (workspaceIds.length === 0) return { backlog: 0, lagSeconds: null };
    const [row] = await this.db.query<{ n: string | number; oldest: Date | null }[]>(
      `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM inbox_events
        WHERE workspace_id IN (${marks(workspaceIds)}) AND status IN (${marks(UNFINISHED_STATUSES)})`,
      [...workspaceIds, ...UNFINISHED_STATUSES],
    );
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
    return {
      backlog: Number(row?.n ?? 0),
      lagSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
    };
  }

  /** Received minus finished in the last 15 minutes. */
  private async growth(workspaceIds: string[], now: number): Promise<number> {
    if (workspaceIds.length === 0) return 0;
    const since = new Date(now - GROWTH_WINDOW_MS);
    const [row] = await this.db.query<
      { received: string | number | null; finished: string | number | null }[]
    >(
      `SELECT SUM(created_at >= ?) AS received, SUM(processed_at >= ?) AS finished FROM inbox_events
        WHERE workspace_id IN (${marks(workspaceIds)}) AND created_at >= ?`,
      [since, since, ...workspaceIds, new Date(now - GROWTH_WINDOW_MS - HOUR)],
    );
    return Number(row?.received ?? 0) - Number(row?.finished ?? 0);
  }
}

/**
 * What to do about the lag: adding a worker is the operator's call, so only the installation's figures advise it;
 * a workspace whose queue grows is told to tell the platform's administrator.
 */
export function advise(lagSeconds: number | null, growth: number, scope: CapacityScope): CapacityAdvice {
  if (lagSeconds === null || lagSeconds <= LAG_WATCH_SECONDS) return 'ok';
  if (growth <= 0) return 'watch';
  return scope === 'installation' ? 'add_worker' : 'tell_platform_admin';
}

function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
