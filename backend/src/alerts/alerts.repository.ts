import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, type Repository } from 'typeorm';
import { ImportEntity } from '../imports/import.entity';
import { ImportRunEntity } from '../imports/run/import-row.entity';
import type { AlertConditionSettings } from './alert-conditions';
import { AlertEntity, AlertReadEntity, AlertSettingsEntity, type AlertDelivery } from './alert.entity';

/** An import that ended `failed`, as the "import failed" condition reads it. */
export interface FailedImport {
  id: string;
  fileName: string;
  error: string | null;
}

/** How many failed imports one check looks at (the newest): a burst of old failures cannot flood the chat. */
const FAILED_IMPORTS_CHECKED = 5;

@Injectable()
export class AlertsRepository {
  constructor(
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(AlertReadEntity) private readonly reads: Repository<AlertReadEntity>,
    @InjectRepository(AlertSettingsEntity) private readonly settings: Repository<AlertSettingsEntity>,
  ) {}

  findSettings(workspaceId: string): Promise<AlertSettingsEntity | null> {
    return this.settings.findOneBy({ workspaceId });
  }

  async saveSettings(
    workspaceId: string,
    values: {
      conditions: Partial<AlertConditionSettings>;
      telegramToken: string | null;
      telegramChatId: string | null;
    },
  ): Promise<void> {
    await this.settings.upsert({ workspaceId, ...values }, ['workspaceId']);
  }

  listActive(workspaceId: string): Promise<AlertEntity[]> {
    return this.alerts.findBy({ workspaceId, activeKey: Not(IsNull()) });
  }

  /** Inserts the raise; false when another process raised the same (workspace, condition, subject) first. */
  async insertActive(alert: AlertEntity): Promise<boolean> {
    try {
      await this.alerts.insert(alert);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw error;
    }
  }

  /** Marks it resolved; false when it was not active any more (resolved by another process). */
  async resolve(workspaceId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.alerts.update(
      { workspaceId, id, state: 'active' },
      { state: 'resolved', activeKey: null, resolvedAt: at },
    );
    return (result.affected ?? 0) === 1;
  }

  async setDelivery(
    workspaceId: string,
    id: string,
    column: 'telegramRaised' | 'telegramResolved',
    value: AlertDelivery,
  ): Promise<void> {
    await this.alerts.update({ workspaceId, id }, { [column]: value });
  }

  page(workspaceId: string, skip: number, take: number): Promise<[AlertEntity[], number]> {
    return this.alerts.findAndCount({
      where: { workspaceId },
      order: { raisedAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
  }

  /** When `userId` read each of `alertIds` (those not read are absent). */
  async readMarks(workspaceId: string, userId: string, alertIds: string[]): Promise<Map<string, Date>> {
    if (alertIds.length === 0) return new Map();
    const marks = await this.reads.findBy({ workspaceId, userId, alertId: In(alertIds) });
    return new Map(marks.map((mark) => [mark.alertId, mark.readAt]));
  }

  /** Alerts of the workspace `userId` has not read. */
  countUnread(workspaceId: string, userId: string): Promise<number> {
    return this.alerts
      .createQueryBuilder('alert')
      .leftJoin(AlertReadEntity, 'mark', 'mark.alert_id = alert.id AND mark.user_id = :userId', { userId })
      .where('alert.workspace_id = :workspaceId', { workspaceId })
      .andWhere('mark.alert_id IS NULL')
      .getCount();
  }

  find(workspaceId: string, id: string): Promise<AlertEntity | null> {
    return this.alerts.findOneBy({ workspaceId, id });
  }

  /** Marks it read by `userId` (the first mark is kept). */
  async markRead(workspaceId: string, alertId: string, userId: string, at: Date): Promise<void> {
    await this.reads
      .createQueryBuilder()
      .insert()
      .values({ workspaceId, alertId, userId, readAt: at })
      .orIgnore()
      .execute();
  }

  /**
   * The newest imports of the workspace that ended `failed` and were not followed by an import that ended
   * `done` (a later successful import clears the earlier failures; a deleted upload is gone from here too).
   */
  async failedImports(workspaceId: string): Promise<FailedImport[]> {
    const finishedAt = 'COALESCE(run.finished_at, upload.updated_at)';
    const rows = await this.alerts.manager
      .createQueryBuilder(ImportEntity, 'upload')
      .leftJoin(ImportRunEntity, 'run', 'run.import_id = upload.id')
      .select(['upload.id AS id', 'upload.file_name AS fileName', 'run.error AS error'])
      .where('upload.workspace_id = :workspaceId', { workspaceId })
      .andWhere("upload.status = 'failed'")
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM imports later LEFT JOIN import_runs later_run ON later_run.import_id = later.id
          WHERE later.workspace_id = upload.workspace_id AND later.status = 'done'
            AND COALESCE(later_run.finished_at, later.updated_at) > ${finishedAt})`,
      )
      .orderBy(finishedAt, 'DESC')
      .limit(FAILED_IMPORTS_CHECKED)
      .getRawMany<{ id: string; fileName: string; error: string | null }>();
    return rows.map((row) => ({ id: row.id, fileName: row.fileName, error: row.error }));
  }
}
