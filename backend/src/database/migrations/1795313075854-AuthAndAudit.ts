import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuthAndAudit1795313075854 implements MigrationInterface {
  name = 'AuthAndAudit1795313075854';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`workspaces\` (\`id\` char(36) NOT NULL, \`name\` varchar(120) NOT NULL, \`is_default\` tinyint NOT NULL DEFAULT 0, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`refresh_tokens\` (\`id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`family_id\` char(36) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`created_ip\` varchar(64) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_refresh_tokens_user\` (\`user_id\`), INDEX \`idx_refresh_tokens_family\` (\`family_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`api_keys\` (\`id\` char(36) NOT NULL, \`workspace_id\` char(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`prefix\` varchar(16) NOT NULL, \`key_hash\` char(64) NOT NULL, \`role\` varchar(16) NOT NULL, \`created_by\` char(36) NULL, \`last_used_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_api_keys_hash\` (\`key_hash\`), INDEX \`idx_api_keys_workspace\` (\`workspace_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` char(36) NOT NULL, \`workspace_id\` char(36) NULL, \`actor_type\` varchar(16) NOT NULL, \`actor_id\` char(36) NULL, \`actor_label\` varchar(254) NULL, \`action\` varchar(64) NOT NULL, \`target_type\` varchar(32) NULL, \`target_id\` varchar(64) NULL, \`details\` longtext NULL, \`ip\` varchar(64) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_audit_workspace_action\` (\`workspace_id\`, \`action\`, \`created_at\`), INDEX \`idx_audit_workspace_time\` (\`workspace_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`users\` (\`id\` char(36) NOT NULL, \`workspace_id\` char(36) NOT NULL, \`email\` varchar(254) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`role\` varchar(16) NOT NULL, \`is_super_admin\` tinyint NOT NULL DEFAULT 0, \`disabled_at\` datetime(3) NULL, \`last_login_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_users_email\` (\`email\`), INDEX \`idx_users_workspace\` (\`workspace_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_users_workspace\` ON \`users\``);
    await queryRunner.query(`DROP INDEX \`uq_users_email\` ON \`users\``);
    await queryRunner.query(`DROP TABLE \`users\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_workspace_time\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_workspace_action\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_api_keys_workspace\` ON \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`uq_api_keys_hash\` ON \`api_keys\``);
    await queryRunner.query(`DROP TABLE \`api_keys\``);
    await queryRunner.query(`DROP INDEX \`idx_refresh_tokens_family\` ON \`refresh_tokens\``);
    await queryRunner.query(`DROP INDEX \`idx_refresh_tokens_user\` ON \`refresh_tokens\``);
    await queryRunner.query(`DROP TABLE \`refresh_tokens\``);
    await queryRunner.query(`DROP TABLE \`workspaces\``);
  }
}
