/** Per-account request limiting: a sliding one-second window, and the 429 streak that blocks. */

/** Admits at most `limit` requests in any `windowMs`; rejected requests are not counted. */
export class SlidingWindowLimiter {
  private stamps: number[] = [];

  tryAcquire(limit: number, now: number, windowMs = 1000): boolean {
    const cutoff = now - windowMs;
    let expired = 0;
    while (expired < this.stamps.length && this.stamps[expired] <= cutoff) expired += 1;
    if (expired > 0) this.stamps = this.stamps.slice(expired);
    if (this.stamps.length >= limit) return false;
    this.stamps.push(now);
    return true;
  }

  reset(): void {
    this.stamps = [];
  }
}

/** Counts events (429 answers) in a trailing window. */
export class TrailingCounter {
  private stamps: number[] = [];

  /** Records one event and answers how many fall in the window, this one included. */
  record(now: number, windowMs: number): number {
    this.stamps.push(now);
    const cutoff = now - windowMs;
    this.stamps = this.stamps.filter((stamp) => stamp > cutoff);
    return this.stamps.length;
  }

  reset(): void {
    this.stamps = [];
  }
}
