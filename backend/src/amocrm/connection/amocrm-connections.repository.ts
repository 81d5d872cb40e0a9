import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Or, type Repository } from 'typeorm';
import type { AmocrmPauseReason } from '../amocrm.problems';
import { AmocrmConnectionEntity, type AmocrmConnectionStatus } from './amocrm-connection.entity';

/** Sealed token columns as stored. */
export interface SealedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

@Injectable()
export class AmocrmConnectionsRepository {
  constructor(
    @InjectRepository(AmocrmConnectionEntity) private readonly repo: Repository<AmocrmConnectionEntity>,
  ) {}

  findByWorkspace(workspaceId: string): Promise<AmocrmConnectionEntity | null> {
    return this.repo.findOneBy({ workspaceId });
  }

  async insert(connection: AmocrmConnectionEntity): Promise<AmocrmConnectionEntity> {
    await this.repo.insert(connection);
    return connection;
  }

  /**
   * Rewrites an existing row (connect, reconnect, disconnect) and bumps its token version, so calls holding the
   * old credentials notice the change.
   */
  async reconfigure(connection: AmocrmConnectionEntity): Promise<void> {
    const {
      id,
      workspaceId,
      createdAt: _createdAt,
      updatedAt: _updatedAt,
      tokenVersion: _tokenVersion,
      ...columns
    } = connection;
    await this.repo
      .createQueryBuilder()
      .update(AmocrmConnectionEntity)
      .set({ ...columns, tokenVersion: () => 'token_version + 1' })
      .where('id = :id AND workspace_id = :workspaceId', { id, workspaceId })
      .execute();
  }

  /** Stores a new sealed pair and bumps the token version; answers the new version. */
  async storeTokens(workspaceId: string, id: string, tokens: SealedTokens, at: Date): Promise<number> {
    await this.repo
      .createQueryBuilder()
      .update(AmocrmConnectionEntity)
      .set({
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        tokenExpiresAt: tokens.expiresAt,
        tokensRefreshedAt: at,
        tokenVersion: () => 'token_version + 1',
      })
      .where('id = :id AND workspace_id = :workspaceId', { id, workspaceId })
      .execute();
    const row = await this.repo.findOne({
      where: { id, workspaceId },
      select: { id: true, tokenVersion: true },
    });
    return row?.tokenVersion ?? 0;
  }

  /** Marks the connection connected with the account it answers for. */
  async markConnected(
    workspaceId: string,
    id: string,
    account: { id: number; name: string },
    at: Date,
  ): Promise<void> {
    await this.repo.update(
      { id, workspaceId },
      {
        status: 'connected',
        accountId: account.id,
        accountName: account.name,
        pausedReason: null,
        lastError: null,
        connectedAt: at,
      },
    );
  }

  /** Needs re-authorisation, unless the tokens changed meanwhile (a reconnect or another refresh): false then. */
  async markNeedsReauth(
    workspaceId: string,
    id: string,
    tokenVersion: number,
    error: string,
  ): Promise<boolean> {
    const result = await this.repo.update(
      { id, workspaceId, tokenVersion, status: In<AmocrmConnectionStatus>(['connected', 'paused']) },
      { status: 'needs_reauth', lastError: error.slice(0, 1000) },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Pauses a connected connection; false when it was not connected (already paused, or something else). */
  async markPaused(
    workspaceId: string,
    id: string,
    reason: AmocrmPauseReason,
    error: string,
  ): Promise<boolean> {
    const result = await this.repo.update(
      { id, workspaceId, status: 'connected' },
      { status: 'paused', pausedReason: reason, lastError: error.slice(0, 1000) },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Lifts a pause; false when the connection was not paused. */
  async clearPause(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.repo.update(
      { id, workspaceId, status: 'paused' },
      { status: 'connected', pausedReason: null },
    );
    return (result.affected ?? 0) === 1;
  }

  async recordError(workspaceId: string, id: string, error: string): Promise<void> {
    await this.repo.update({ id, workspaceId }, { lastError: error.slice(0, 1000) });
  }

  /** OAuth connections whose tokens were last stored before `before` (the daily refresh keeps them alive). */
  listOAuthRefreshedBefore(before: Date): Promise<AmocrmConnectionEntity[]> {
    return this.repo.find({
      where: { authKind: 'oauth', status: 'connected', tokensRefreshedAt: Or(IsNull(), LessThan(before)) },
      order: { tokensRefreshedAt: 'ASC' },
    });
  }

  listConnected(): Promise<AmocrmConnectionEntity[]> {
    return this.repo.find({ where: { status: 'connected' }, order: { createdAt: 'ASC' } });
  }
}
