import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RuleActionRunsByRule1796673567301 implements MigrationInterface {
  name = 'RuleActionRunsByRule1796673567301';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX `ix_rule_action_runs_rule` ON `rule_action_runs` (`workspace_id`, `rule_id`, `action_index`, `created_at`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `ix_rule_action_runs_rule` ON `rule_action_runs`');
  }
}
