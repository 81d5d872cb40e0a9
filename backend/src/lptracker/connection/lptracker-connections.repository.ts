import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LptrackerConnectionEntity } from './lptracker-connection.entity';

@Injectable()
export class LptrackerConnectionsRepository {
  constructor(
    @InjectRepository(LptrackerConnectionEntity)
    private readonly repo: Repository<LptrackerConnectionEntity>,
  ) {}

  findByWorkspace(workspaceId: string): Promise<LptrackerConnectionEntity | null> {
    return this.repo.findOneBy({ workspaceId });
  }

  async insert(connection: LptrackerConnectionEntity): Promise<void> {
    await this.repo.insert(connection);
  }

  /** Rewrites an existing row (connect, disconnect) and bumps its token version, so calls holding the old token notice. */
  async reconfigure(connection: LptrackerConnectionEntity): Promise<void> {
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
      .update(LptrackerConnectionEntity)
      .set({ ...columns, tokenVersion: () => 'token_version + 1' })
      .where('id = :id AND workspace_id = :workspaceId', { id, workspaceId })
      .execute();
  }

  /**
   * Stores a new sealed token in place of the one of `tokenVersion` and bumps the version; false (nothing stored)
   * when the stored token changed meanwhile (another login, a reconnect).
   */
  async storeToken(
    workspaceId: string,
    id: string,
    tokenVersion: number,
    sealedToken: string,
    at: Date,
  ): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(LptrackerConnectionEntity)
      .set({
        token: sealedToken,
        tokenIssuedAt: at,
        lastOkAt: at,
        lastError: null,
        tokenVersion: () => 'token_version + 1',
      })
      .where('id = :id AND workspace_id = :workspaceId AND token_version = :tokenVersion', {
        id,
        workspaceId,
        tokenVersion,
      })
      .andWhere("status = 'connected'")
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** The stored password was refused; false when the credentials changed meanwhile (a reconnect). */
  async markNeedsReauth(
    workspaceId: string,
    id: string,
    tokenVersion: number,
    error: string,
  ): Promise<boolean> {
    const result = await this.repo.update(
      { id, workspaceId, tokenVersion, status: 'connected' },
      { status: 'needs_reauth', lastError: error.slice(0, 1000) },
    );
    return (result.affected ?? 0) === 1;
  }

  async recordError(workspaceId: string, id: string, error: string): Promise<void> {
    await this.repo.update({ id, workspaceId }, { lastError: error.slice(0, 1000) });
  }

  async recordOk(workspaceId: string, id: string, at: Date): Promise<void> {
    await this.repo.update({ id, workspaceId }, { lastOkAt: at, lastError: null });
  }

  listConnected(): Promise<LptrackerConnectionEntity[]> {
    return this.repo.find({ where: { status: 'connected' }, order: { createdAt: 'ASC' } });
  }
}
