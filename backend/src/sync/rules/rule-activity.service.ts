import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RuleActionRunEntity } from './rule-action-run.entity';

/** How often a rule fired on live events: when last, and how many times in the last 24 hours. */
export interface RuleActivity {
  lastFiredAt: string | null;
  matches24h: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rules list's activity (issue #13 §4), read from the done-markers of live runs: a rule fired on an event's
 * change when its first action ran (one `rule_action_runs` row with action index 0 per change, kept once across
 * retries). Dry runs and backtests store nothing, so they never count.
 */
@Injectable()
export class RuleActivityService {
  constructor(
    @InjectRepository(RuleActionRunEntity) private readonly runs: Repository<RuleActionRunEntity>,
  ) {}

  async of(
    workspaceId: string,
    ruleIds: readonly string[],
    now = Date.now(),
  ): Promise<Map<string, RuleActivity>> {
    const activity = new Map<string, RuleActivity>();
    for (const id of ruleIds) activity.set(id, { lastFiredAt: null, matches24h: 0 });
    if (ruleIds.length === 0) return activity;
    const rows: { ruleId: string; lastAt: Date | string | null; recent: string | number | null }[] =
      await this.runs
        .createQueryBuilder('run')
        .select('run.rule_id', 'ruleId')
        .addSelect('MAX(run.created_at)', 'lastAt')
        .addSelect('SUM(run.created_at >= :since)', 'recent')
        .where('run.workspace_id = :workspaceId', { workspaceId })
        .andWhere('run.rule_id IN (:...ruleIds)', { ruleIds })
        .andWhere('run.action_index = 0')
        .setParameter('since', new Date(now - DAY_MS))
        .groupBy('run.rule_id')
        .getRawMany();
    for (const row of rows) {
      const lastAt = row.lastAt === null ? null : new Date(row.lastAt);
      activity.set(row.ruleId, {
        lastFiredAt: lastAt === null ? null : lastAt.toISOString(),
        matches24h: Number(row.recent ?? 0),
      });
    }
    return activity;
  }
}
