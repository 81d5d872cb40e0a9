import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import type { AlertConditionSettings } from './alert-conditions';
import { AlertEntity, AlertSettingsEntity, type AlertDelivery } from './alert.entity';

@Injectable()
export class AlertsRepository {
  constructor(
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
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

  countUnread(workspaceId: string): Promise<number> {
    return this.alerts.countBy({ workspaceId, readAt: IsNull() });
  }

  find(workspaceId: string, id: string): Promise<AlertEntity | null> {
    return this.alerts.findOneBy({ workspaceId, id });
  }

  async markRead(workspaceId: string, id: string, at: Date): Promise<void> {
    await this.alerts.update({ workspaceId, id, readAt: IsNull() }, { readAt: at });
  }
}
