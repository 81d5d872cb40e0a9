import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../config/app-config';
import { CryptoModule } from '../crypto/crypto.module';
import { registerQueue } from '../queue/queue-names';
import { REDIS } from '../redis/redis.module';
import { LptrackerClient } from './client/lptracker-client';
import { LptrackerRateLimiter } from './client/lptracker-rate-limiter';
import { LptrackerTransport } from './client/lptracker-transport';
import { LptrackerConnectionEntity } from './connection/lptracker-connection.entity';
import { LptrackerConnectionsRepository } from './connection/lptracker-connections.repository';
import { LptrackerConnectionsService } from './connection/lptracker-connections.service';
import { LptrackerCredentialsService } from './connection/lptracker-credentials.service';
import { LptrackerLoginService } from './connection/lptracker-login.service';
import { LptrackerProjectEntity } from './connection/lptracker-project.entity';
import { LptrackerProjectsRepository } from './connection/lptracker-projects.repository';
import { LptrackerProjectsService } from './connection/lptracker-projects.service';
import { LptrackerController } from './lptracker.controller';
import { LPTRACKER_QUEUE } from './lptracker.constants';
import { LptrackerProcessor } from './lptracker.processor';
import { LptrackerMetadataEntity } from './metadata/lptracker-metadata.entity';
import { LptrackerMetadataRepository } from './metadata/lptracker-metadata.repository';
import { LptrackerMetadataService } from './metadata/lptracker-metadata.service';

/**
 * LPTracker: the connection of each workspace (one login, its password and token sealed at rest, any number of
 * its projects enabled), the client every other module calls (`LptrackerClient.forWorkspace(workspaceId, lane)`),
 * a shared limiter per login and the metadata cache per project. `LptrackerProjectsService.addListener` is where
 * what follows projects (the webhook registration) hooks in.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([LptrackerConnectionEntity, LptrackerProjectEntity, LptrackerMetadataEntity]),
    registerQueue(LPTRACKER_QUEUE),
    CryptoModule,
    AuditModule,
    AuthModule,
  ],
  controllers: [LptrackerController],
  providers: [
    {
      provide: LptrackerRateLimiter,
      inject: [REDIS, AppConfig],
      // LPTracker allows 3 requests per second (per login, as far as anyone knows): LPTRACKER_RPS, default 3. Its
      // limit is less well known than amoCRM's, so its margin defaults wider (LPTRACKER_RATE_MARGIN_MS, 60 ms).
      useFactory: (redis: Redis, config: AppConfig) =>
        new LptrackerRateLimiter(redis, { rps: config.lptrackerRps, marginMs: config.lptrackerRateMarginMs }),
    },
    {
      provide: LptrackerTransport,
      inject: [LptrackerRateLimiter],
      useFactory: (limiter: LptrackerRateLimiter) =>
        new LptrackerTransport(limiter, new Logger('LptrackerHttp')),
    },
    LptrackerConnectionsRepository,
    LptrackerProjectsRepository,
    LptrackerMetadataRepository,
    LptrackerCredentialsService,
    LptrackerLoginService,
    LptrackerClient,
    LptrackerMetadataService,
    LptrackerProjectsService,
    LptrackerConnectionsService,
    LptrackerProcessor,
  ],
  exports: [LptrackerClient, LptrackerConnectionsService, LptrackerProjectsService, LptrackerMetadataService],
})
export class LptrackerModule {}
