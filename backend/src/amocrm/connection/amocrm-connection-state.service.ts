import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AuditService } from '../../audit/audit.service';
import { REDIS } from '../../redis/redis.module';
import {
  AmocrmNeedsReauthError,
  AmocrmNotConnectedError,
  AmocrmPausedError,
  pauseReasonText,
  type AmocrmPauseReason,
} from '../amocrm.problems';
import { AmocrmConnectionsRepository } from './amocrm-connections.repository';
import type { AmocrmSession } from './amocrm-credentials.service';

const PAUSE_REASONS: readonly AmocrmPauseReason[] = ['blocked', 'forbidden', 'payment_required'];

/**
 * The health of a connection as every process sees it: paused (402/403: a Redis flag checked before each
 * send, plus the row's status), needs re-authorisation (tokens refused for good). Transitions are written once,
 * with an audit entry and an error log line the admin will see.
 */
@Injectable()
export class AmocrmConnectionStateService {
  private readonly logger = new Logger('Amocrm');

  constructor(
    private readonly connections: AmocrmConnectionsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly audit: AuditService,
  ) {}

  /** The session when it may be used (status and the cross-process pause flag); else throws the typed error. */
  async assertUsable(session: AmocrmSession | null): Promise<AmocrmSession> {
    const usable = requireUsableStatus(session);
    await this.assertAccountNotPaused(usable.accountKey);
    return usable;
  }

  /** The cross-process flag alone: checked right before every send. */
  async assertAccountNotPaused(accountKey: string): Promise<void> {
    const flag = await this.redis.get(pauseKey(accountKey));
    if (flag !== null)
      throw new AmocrmPausedError(
        PAUSE_REASONS.includes(flag as AmocrmPauseReason) ? (flag as AmocrmPauseReason) : 'blocked',
      );
  }

  /** Stops every call to the account at once (all processes), records why, and answers the error to throw. */
  async pause(
    session: AmocrmSession,
    reason: AmocrmPauseReason,
    amocrmRequestId: string | null,
  ): Promise<AmocrmPausedError> {
    await this.redis.set(pauseKey(session.accountKey), reason);
    const detail = pauseReasonText(reason);
    if (await this.connections.markPaused(session.workspaceId, session.id, reason, detail)) {
      this.logger.error(
        { workspaceId: session.workspaceId, subdomain: session.subdomain, reason, amocrmRequestId },
        'amoCRM connection paused',
      );
      await this.audit.record(null, {
        workspaceId: session.workspaceId,
        action: 'amocrm.paused',
        targetType: 'amocrm_connection',
        targetId: session.id,
        details: { reason, subdomain: session.subdomain, amocrmRequestId },
      });
    }
    return new AmocrmPausedError(reason, detail);
  }

  /** Lifts the pause flag and the row's paused status (resume, reconnect, disconnect). */
  async clearPause(session: Pick<AmocrmSession, 'workspaceId' | 'id' | 'accountKey'>): Promise<boolean> {
    await this.redis.del(pauseKey(session.accountKey));
    return this.connections.clearPause(session.workspaceId, session.id);
  }

  /**
   * The tokens of `tokenVersion` were refused for good. Answers false (nothing changed) when the stored tokens
   * are newer: someone reconnected or refreshed meanwhile.
   */
  async markNeedsReauth(session: AmocrmSession, tokenVersion: number, reason: string): Promise<boolean> {
    const changed = await this.connections.markNeedsReauth(
      session.workspaceId,
      session.id,
      tokenVersion,
      reason,
    );
    if (changed) {
      this.logger.error(
        { workspaceId: session.workspaceId, subdomain: session.subdomain, reason },
        'amoCRM connection needs re-authorisation',
      );
      await this.audit.record(null, {
        workspaceId: session.workspaceId,
        action: 'amocrm.needs_reauth',
        targetType: 'amocrm_connection',
        targetId: session.id,
        details: { reason, subdomain: session.subdomain, authKind: session.authKind },
      });
    }
    return changed;
  }

  async recordError(session: AmocrmSession, error: string): Promise<void> {
    await this.connections.recordError(session.workspaceId, session.id, error);
  }
}

function pauseKey(accountKey: string): string {
  return `amocrm:paused:{${accountKey}}`;
}

/** The session when its stored status allows calls; else throws the typed error. */
export function requireUsableStatus(session: AmocrmSession | null): AmocrmSession {
  if (!session || session.status === 'not_connected' || !session.accessToken)
    throw new AmocrmNotConnectedError();
  if (session.status === 'needs_reauth') {
    throw new AmocrmNeedsReauthError(
      `amoCRM refused the stored credentials${session.lastError ? ` (${session.lastError})` : ''}: an admin must reconnect amoCRM.`,
    );
  }
  if (session.status === 'paused') throw new AmocrmPausedError(session.pausedReason ?? 'blocked');
  return session;
}
