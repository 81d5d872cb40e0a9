/** Every call an account received, newest last, bounded. */

export interface RequestLogEntry {
  method: string;
  /** Path after the account prefix, with the query string: `/api/v4/contacts?query=916`. */
  path: string;
  /** 0 when the connection was dropped on purpose. */
  status: number;
  /** Unix milliseconds. */
  at: number;
  requestId: string;
  durationMs: number;
}

export interface RequestLogFilter {
  method?: string;
  /** Matches paths starting with this (query string included). */
  pathPrefix?: string;
  status?: number;
  /** Unix milliseconds, inclusive. */
  since?: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly keep: number) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.keep) this.entries = this.entries.slice(-this.keep);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const method = filter.method?.toUpperCase();
    return this.entries
      .filter(
        (entry) =>
          (method === undefined || entry.method === method) &&
          (filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix)) &&
          (filter.status === undefined || entry.status === filter.status) &&
          (filter.since === undefined || entry.at >= filter.since),
      )
      .map((entry) => ({ ...entry }));
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries = [];
  }
}
