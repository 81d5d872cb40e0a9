import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { requestLoggerOptions } from './request-logger-options';

/** Structured JSON logs; every line of a request carries its id (taken from X-Request-Id or made here). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // the webhook hot path has no request logger: every accepted delivery is recorded in the inbox (headers,
        // remote address, body), and the intake logs what it refuses
        exclude: [{ method: RequestMethod.ALL, path: 'webhooks/{*path}' }],
        pinoHttp: requestLoggerOptions(config),
      }),
    }),
  ],
})
export class LoggingModule {}
