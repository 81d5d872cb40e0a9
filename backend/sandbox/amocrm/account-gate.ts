import { SlidingWindowLimiter, TrailingCounter } from './rate-limiter';

/**
 * What answers before a request reaches its handler: the nginx block (HTML 403), injected
 * faults, "payment required" (402) and the rate limit (429, repeated → blocked).
 */

export type GateTarget = 'api' | 'oauth';

export type FaultKind = 500 | 502 | 503 | 504 | 'drop';

export interface FaultSpec {
  /** An HTTP status to answer with, or `drop` to close the connection without an answer. */
  kind: FaultKind;
  /** How many of the next matching calls fail (default 1). */
  count?: number;
  /** Which calls: API calls (default), OAuth token/consent calls, or any. */
  target?: GateTarget | 'any';
}

interface PendingFault {
  kind: FaultKind;
  remaining: number;
  target: GateTarget | 'any';
}

export interface GateLimits {
  rps: number;
  blockAfter429s: number;
  blockWindowSec: number;
}

export type GateVerdict =
  | { kind: 'pass' }
  | { kind: 'blocked' }
  | { kind: 'fault'; fault: FaultKind }
  | { kind: 'payment-required' }
  | { kind: 'rate-limited'; blockedNow: boolean };

export const FAULT_KINDS: readonly FaultKind[] = [500, 502, 503, 504, 'drop'];

export class AccountGate {
  blocked = false;
  paymentRequired = false;
  private faults: PendingFault[] = [];
  private readonly limiter = new SlidingWindowLimiter();
  private readonly rejections = new TrailingCounter();

  constructor(private readonly limits: () => GateLimits) {}

  check(target: GateTarget, now: number): GateVerdict {
    if (this.blocked) return { kind: 'blocked' };
    const fault = this.takeFault(target);
    if (fault !== undefined) return { kind: 'fault', fault };
    if (this.paymentRequired) return { kind: 'payment-required' };
    if (target !== 'api') return { kind: 'pass' };
    const limits = this.limits();
    if (this.limiter.tryAcquire(limits.rps, now)) return { kind: 'pass' };
    const recent = this.rejections.record(now, limits.blockWindowSec * 1000);
    if (recent > limits.blockAfter429s) this.blocked = true;
    return { kind: 'rate-limited', blockedNow: this.blocked };
  }

  injectFault(spec: FaultSpec): void {
    this.faults.push({
      kind: spec.kind,
      remaining: Math.max(1, spec.count ?? 1),
      target: spec.target ?? 'api',
    });
  }

  clearFaults(): void {
    this.faults = [];
  }

  get pendingFaults(): { kind: FaultKind; remaining: number; target: GateTarget | 'any' }[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  block(): void {
    this.blocked = true;
  }

  /** What amoCRM support does: lift the block and forget the violations. */
  unblock(): void {
    this.blocked = false;
    this.rejections.reset();
    this.limiter.reset();
  }

  private takeFault(target: GateTarget): FaultKind | undefined {
    const fault = this.faults.find((candidate) => candidate.target === 'any' || candidate.target === target);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault.kind;
  }
}
