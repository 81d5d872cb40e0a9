import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RuleActionRuns1796639058901 implements MigrationInterface {
  name = 'RuleActionRuns1796639058901';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `rule_action_runs` (`event_id` char(36) NOT NULL, `change_key` varchar(191) NOT NULL, `rule_id` char(36) NOT NULL, `rule_version` int NOT NULL, `action_index` int NOT NULL, `workspace_id` char(36) NOT NULL, `state` varchar(16) NOT NULL, `result` text NULL, `created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (`event_id`, `change_key`, `rule_id`, `rule_version`, `action_index`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `rule_action_runs`');
  }
}
