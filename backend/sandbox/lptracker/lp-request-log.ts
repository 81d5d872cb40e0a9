/** Every call an account received (by token or by login), newest last, bounded, with counts per route. */

export interface LpRequestEntry {
  method: string;
  /** As sent, query string included: `/contact/search?project_id=1&phone=7916`. */
  path: string;
  /** The route it matched, `GET /lead/{id}`; `POST /login`; `? <path>` when none did. */
  route: string;
  /** HTTP status answered (200 for envelope errors too). */
  httpStatus: number;
  /** `errors[0].code` of an error envelope, null on success. */
  errorCode: number | null;
  login: string | null;
  /** Unix milliseconds. */
  at: number;
}

export interface LpRequestFilter {
  method?: string;
  /** Matches paths starting with this (query string included). */
  pathPrefix?: string;
  /** Exact route, e.g. `POST /lead`. */
  route?: string;
  /** Unix milliseconds, inclusive. */
  since?: number;
}

export class LpRequestLog {
  private entries: LpRequestEntry[] = [];

  constructor(private readonly keep: number) {}

  add(entry: LpRequestEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
  }

  list(filter: LpRequestFilter = {}): LpRequestEntry[] {
    const method = filter.method?.toUpperCase();
    return this.entries
      .filter((entry) => method === undefined || entry.method === method)
      .filter((entry) => filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix))
      .filter((entry) => filter.route === undefined || entry.route === filter.route)
      .filter((entry) => filter.since === undefined || entry.at >= filter.since)
      .map((entry) => ({ ...entry }));
  }

  /** `{"POST /lead": 2, "GET /projects": 1}` over the entries that pass the filter. */
  counts(filter: LpRequestFilter = {}): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.list(filter)) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.entries = [];
  }
}
