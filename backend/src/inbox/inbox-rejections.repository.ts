import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { InboxRejectionEntity } from './inbox-rejection.entity';

@Injectable()
export class InboxRejectionsRepository {
  constructor(
    @InjectRepository(InboxRejectionEntity) private readonly repo: Repository<InboxRejectionEntity>,
  ) {}

  async insert(rejection: InboxRejectionEntity): Promise<void> {
    await this.repo.insert(rejection);
  }

  async countSince(workspaceId: string, minutes: number): Promise<number> {
    const [row] = await this.repo.query<{ count: string | number }[]>(
      `SELECT COUNT(*) AS count FROM inbox_rejections WHERE workspace_id = ? AND created_at >= NOW(3) - INTERVAL ? MINUTE`,
      [workspaceId, minutes],
    );
    return Number(row?.count ?? 0);
  }

  /** Deletes up to `limit` rejections older than `days`. */
  async purgeBatch(days: number, limit: number): Promise<number> {
    const result = await this.repo.query<{ affectedRows: number }>(
      `DELETE FROM inbox_rejections WHERE created_at < NOW(3) - INTERVAL ? DAY ORDER BY created_at LIMIT ?`,
      [days, limit],
    );
    return result.affectedRows;
  }
}
