import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../config/app-config';
import { CryptoModule } from '../crypto/crypto.module';
import { registerQueue } from '../queue/queue-names';
import { REDIS } from '../redis/redis.module';
import { AmocrmController } from './amocrm.controller';
import { AMOCRM_QUEUE } from './amocrm.constants';
import { AmocrmProcessor } from './amocrm.processor';
import { AmocrmClient } from './client/amocrm-client';
import { AmocrmRateLimiter } from './client/amocrm-rate-limiter';
import { AmocrmTransport } from './client/amocrm-transport';
import { AmocrmConnectionEntity } from './connection/amocrm-connection.entity';
import { AmocrmConnectionStateService } from './connection/amocrm-connection-state.service';
import { AmocrmConnectionsRepository } from './connection/amocrm-connections.repository';
import { AmocrmConnectionsService } from './connection/amocrm-connections.service';
import { AmocrmOAuthService } from './connection/amocrm-oauth.service';
import { AmocrmCredentialsService } from './connection/amocrm-credentials.service';
import { AmocrmStartupService } from './connection/amocrm-startup.service';
import { AmocrmTokensService } from './connection/amocrm-tokens.service';
import { AmocrmMetadataEntity } from './metadata/amocrm-metadata.entity';
import { AmocrmMetadataRepository } from './metadata/amocrm-metadata.repository';
import { AmocrmMetadataService } from './metadata/amocrm-metadata.service';

/**
 * amoCRM: the connection of each workspace (OAuth or long-lived token, encrypted at rest), the client every other
 * module calls (`AmocrmClient.forWorkspace(workspaceId, lane)`), the shared rate limiter, the metadata cache and
 * webhook subscriptions. The form parser for incoming webhooks is a pure function in `./webhooks`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AmocrmConnectionEntity, AmocrmMetadataEntity]),
    registerQueue(AMOCRM_QUEUE),
    CryptoModule,
    AuditModule,
    AuthModule,
  ],
  controllers: [AmocrmController],
  providers: [
    {
      provide: AmocrmRateLimiter,
      inject: [REDIS, AppConfig],
      useFactory: (redis: Redis, config: AppConfig) =>
        new AmocrmRateLimiter(redis, { rps: config.amocrmRps, marginMs: config.amocrmRateMarginMs }),
    },
    {
      provide: AmocrmTransport,
      inject: [AmocrmRateLimiter],
      useFactory: (limiter: AmocrmRateLimiter) => new AmocrmTransport(limiter, new Logger('AmocrmHttp')),
    },
    AmocrmConnectionsRepository,
    AmocrmMetadataRepository,
    AmocrmCredentialsService,
    AmocrmConnectionStateService,
    AmocrmTokensService,
    AmocrmClient,
    AmocrmMetadataService,
    AmocrmConnectionsService,
    AmocrmOAuthService,
    AmocrmStartupService,
    AmocrmProcessor,
  ],
  exports: [AmocrmClient, AmocrmConnectionsService, AmocrmMetadataService, AmocrmStartupService],
})
export class AmocrmModule {}
