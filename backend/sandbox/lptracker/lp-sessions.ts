import { randomBytes } from 'node:crypto';

/** Login tokens of one account: any number per login (one per service), each dying after idling. */

export interface LpSession {
  token: string;
  login: string;
  service: string;
  version: string;
  createdAt: number;
  lastUsedAt: number;
  /** Logged out, expired by the control API, or found idle too long. */
  dead: boolean;
}

export type SessionCheck = { ok: true; session: LpSession } | { ok: false; reason: string };

export class LpSessions {
  private readonly byToken = new Map<string, LpSession>();

  issue(login: string, service: string, version: string, now: number): LpSession {
    const session: LpSession = {
      token: randomBytes(24).toString('hex'),
      login,
      service,
      version,
      createdAt: now,
      lastUsedAt: now,
      dead: false,
    };
    this.byToken.set(session.token, session);
    return session;
  }

  has(token: string): boolean {
    return this.byToken.has(token);
  }

  /** A live token is touched (its idle time starts again); an idle one dies here. */
  check(token: string, now: number, idleSec: number): SessionCheck {
    const session = this.byToken.get(token);
    if (!session) return { ok: false, reason: 'Token is invalid' };
    if (!session.dead && now - session.lastUsedAt > idleSec * 1000) session.dead = true;
    if (session.dead) return { ok: false, reason: 'Token is expired' };
    session.lastUsedAt = now;
    return { ok: true, session };
  }

  logout(token: string): void {
    const session = this.byToken.get(token);
    if (session) session.dead = true;
  }

  /** Kills every live token (of one login when given); answers how many died. */
  expireAll(login?: string): number {
    let expired = 0;
    for (const session of this.byToken.values()) {
      if (session.dead || (login !== undefined && session.login !== login)) continue;
      session.dead = true;
      expired += 1;
    }
    return expired;
  }

  /** Makes live tokens look idle for `seconds` more (so idle expiry can be shown without waiting). */
  age(seconds: number): void {
    for (const session of this.byToken.values()) session.lastUsedAt -= seconds * 1000;
  }

  live(): LpSession[] {
    return [...this.byToken.values()].filter((session) => !session.dead).map((session) => ({ ...session }));
  }
}
