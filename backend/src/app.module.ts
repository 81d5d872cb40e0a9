import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AlertsModule } from './alerts/alerts.module';
import { AmocrmModule } from './amocrm/amocrm.module';
import { AmocrmInboundModule } from './amocrm-inbound/amocrm-inbound.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ContactsModule } from './contacts/contacts.module';
import { DatabaseModule } from './database/database.module';
import { EngineInboundModule } from './engine-inbound/engine-inbound.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { InboxModule } from './inbox/inbox.module';
import { SettingsModule } from './settings/settings.module';
import { DashboardStatsModule } from './stats/dashboard-stats.module';
import { LeadsModule } from './leads/leads.module';
import { LptrackerModule } from './lptracker/lptracker.module';
import { LptrackerInboundModule } from './lptracker-inbound/lptracker-inbound.module';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { LoggingModule } from './logging/logging.module';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';
import { CallResultsModule } from './sync/call-results/call-results.module';
import { RuleDryRunModule } from './rule-trials/rule-dryrun.module';
import { RulesModule } from './sync/rules/rules.module';
import { SyncModule } from './sync/sync.module';

/** The whole application; APP_ROLE decides at bootstrap whether it serves HTTP, runs workers, or both. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        QueueModule,
        HealthModule,
        AuditModule,
        AuthModule,
        // before the inbox and the engine: its routes /api/v1/{contacts,leads,events}/export.* must be matched
        // before their lists' /:id routes
        ImportsModule,
        InboxModule,
        SettingsModule,
        AmocrmModule,
        LptrackerModule,
        SyncModule,
        ContactsModule,
        LeadsModule,
        AmocrmInboundModule,
        LptrackerInboundModule,
        EngineInboundModule,
        RulesModule,
        RuleDryRunModule,
        CallResultsModule,
        AlertsModule,
        DashboardStatsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
