import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { installBodyParsers } from '../http/body-parsers';
import { securityHeaders } from '../http/security-headers';
import { createValidationPipe } from '../http/validation';
import { setupOpenApi } from '../openapi/openapi';
import { cachedTrust, type TrustProxyFn } from './cached-trust';
import { serveConsole } from './console-static';
import { installContactLookupEntry } from './contact-lookup-entry';
import { installWebhookEntry } from './webhook-entry';

/** The HTTP application (roles `api` and `all`), configured the same way in production and in tests. */
export async function createHttpApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', trustProxySetting(config.trustProxy));
  const express = app.getHttpAdapter().getInstance() as Application;
  express.set('trust proxy fn', cachedTrust(express.get('trust proxy fn') as TrustProxyFn));
  app.disable('x-powered-by');
  app.use(securityHeaders);
  installBodyParsers(app);
  // webhook deliveries are served before Express (the hot path; same intake, same answers)
  installWebhookEntry(app);
  installContactLookupEntry(app); // GET /api/v1/contacts?phone= with an API key (contact-lookup-entry.ts)
  app.useGlobalPipes(createValidationPipe());
  if (config.serveConsole) serveConsole(app, config.consoleDir);
  setupOpenApi(app);
  return app;
}

function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
