/** Settings and id sequences shared by every account of one sandbox server. */

export interface SandboxSettings {
  /** Requests per second allowed per account before 429. */
  rps: number;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  authCodeTtlSec: number;
  longLivedTokenTtlSec: number;
  /** More than this many 429 answers within `blockWindowSec` blocks the account (HTML 403). */
  blockAfter429s: number;
  blockWindowSec: number;
  maxBodyBytes: number;
  deliveryTimeoutMs: number;
  requestLogLimit: number;
  deliveryLogLimit: number;
}

export const DEFAULT_SANDBOX_SETTINGS: Readonly<SandboxSettings> = {
  rps: 7,
  accessTokenTtlSec: 86_400,
  refreshTokenTtlSec: 90 * 86_400,
  authCodeTtlSec: 20 * 60,
  longLivedTokenTtlSec: 5 * 365 * 86_400,
  blockAfter429s: 20,
  blockWindowSec: 60,
  maxBodyBytes: 1024 * 1024,
  deliveryTimeoutMs: 5_000,
  requestLogLimit: 10_000,
  deliveryLogLimit: 5_000,
};

export type IdKind =
  | 'account'
  | 'user'
  | 'pipeline'
  | 'status'
  | 'field'
  | 'enum'
  | 'contact'
  | 'lead'
  | 'company'
  | 'tag'
  | 'webhook'
  | 'delivery'
  | 'note'
  | 'task';

const ID_BASES: Readonly<Record<IdKind, number>> = {
  account: 31_000_000,
  user: 8_100_000,
  pipeline: 7_200_000,
  status: 61_000_000,
  field: 970_000,
  enum: 1_440_000,
  contact: 22_000_000,
  lead: 18_000_000,
  company: 25_000_000,
  tag: 400_000,
  webhook: 1_000,
  delivery: 0,
  note: 5_300_000,
  task: 6_100_000,
};

/** Ids are unique across all accounts of a server, like amoCRM's. */
export class IdSequences {
  private readonly last = new Map<IdKind, number>();

  next(kind: IdKind): number {
    const id = (this.last.get(kind) ?? ID_BASES[kind]) + 1;
    this.last.set(kind, id);
    return id;
  }

  reset(): void {
    this.last.clear();
  }
}

export class SandboxRuntime {
  /** Set once the server listens, e.g. `http://127.0.0.1:4010`. */
  publicUrl = 'http://127.0.0.1';
  readonly ids = new IdSequences();

  constructor(readonly settings: SandboxSettings) {}

  /** `127.0.0.1:4010`: what the OAuth redirect's `referer` is built from. */
  get publicHost(): string {
    return new URL(this.publicUrl).host;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
