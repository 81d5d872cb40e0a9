import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { RuleVersionEntity } from './rule-version.entity';
import { RuleEntity } from './rule.entity';

const ORDER = { priority: 'ASC', createdAt: 'ASC', id: 'ASC' } as const;

/** Rules and their versions; every query filters by workspace. Writes run in the caller's transaction. */
@Injectable()
export class RulesRepository {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(RuleEntity) private readonly rules: Repository<RuleEntity>,
    @InjectRepository(RuleVersionEntity) private readonly versions: Repository<RuleVersionEntity>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A page of the workspace's rules in running order. */
  page(workspaceId: string, skip: number, take: number): Promise<[RuleEntity[], number]> {
    return this.rules.findAndCount({ where: { workspaceId }, order: ORDER, skip, take });
  }

  /** Every rule of the workspace in running order (export; capped by the rules-per-workspace limit). */
  all(workspaceId: string): Promise<RuleEntity[]> {
    return this.rules.find({ where: { workspaceId }, order: ORDER });
  }

  find(workspaceId: string, id: string): Promise<RuleEntity | null> {
    return this.rules.findOneBy({ workspaceId, id });
  }

  /** The rule row locked for the transaction (null when absent). */
  lock(manager: EntityManager, workspaceId: string, id: string): Promise<RuleEntity | null> {
    return manager
      .getRepository(RuleEntity)
      .findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Every rule row of the workspace locked for the transaction, in running order. */
  lockAll(manager: EntityManager, workspaceId: string, ids?: string[]): Promise<RuleEntity[]> {
    return manager.getRepository(RuleEntity).find({
      where: ids ? { workspaceId, id: In(ids) } : { workspaceId },
      order: ORDER,
      lock: { mode: 'pessimistic_write' },
    });
  }

  async countIn(manager: EntityManager, workspaceId: string): Promise<number> {
    return manager.getRepository(RuleEntity).countBy({ workspaceId });
  }

  async maxPriorityIn(manager: EntityManager, workspaceId: string): Promise<number | null> {
    const [row] = await manager.query<{ top: number | null }[]>(
      'SELECT MAX(priority) AS top FROM rules WHERE workspace_id = ?',
      [workspaceId],
    );
    return row?.top === null || row?.top === undefined ? null : Number(row.top);
  }

  saveRule(manager: EntityManager, rule: RuleEntity): Promise<RuleEntity> {
    return manager.getRepository(RuleEntity).save(rule);
  }

  async deleteRule(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.getRepository(RuleEntity).delete({ workspaceId, id });
  }

  insertVersion(manager: EntityManager, version: RuleVersionEntity): Promise<RuleVersionEntity> {
    return manager.getRepository(RuleVersionEntity).save(version);
  }

  /** A page of one rule's versions, newest first. */
  versionsPage(
    workspaceId: string,
    ruleId: string,
    skip: number,
    take: number,
  ): Promise<[RuleVersionEntity[], number]> {
    return this.versions.findAndCount({
      where: { workspaceId, ruleId },
      order: { version: 'DESC' },
      skip,
      take,
    });
  }

  version(workspaceId: string, ruleId: string, version: number): Promise<RuleVersionEntity | null> {
    return this.versions.findOneBy({ workspaceId, ruleId, version });
  }

  /**
   * Per rule of the workspace, the newest version whose settings version is at most `settingsVersion` (rules
   * created later are absent; a rule deleted by then has a tombstone, document null).
   */
  inForceAt(workspaceId: string, settingsVersion: number): Promise<RuleVersionEntity[]> {
    return this.versions
      .createQueryBuilder('v')
      .innerJoin(
        (sub) =>
          sub
            .select('x.rule_id', 'rule_id')
            .addSelect('MAX(x.version)', 'top')
            .from(RuleVersionEntity, 'x')
            .where('x.workspace_id = :workspaceId AND x.settings_version <= :settingsVersion')
            .groupBy('x.rule_id'),
        'newest',
        'newest.rule_id = v.rule_id AND newest.top = v.version',
      )
      .where('v.workspace_id = :workspaceId', { workspaceId, settingsVersion })
      .getMany();
  }
}
