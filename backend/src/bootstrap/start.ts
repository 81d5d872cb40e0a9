import type { Server } from 'node:http';
import { Logger as NestLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { migrateDatabase } from '../database/migrate';
import { ProblemException } from '../http/problem';
import { QueueRegistry } from '../queue/queue-registry';
import { createHttpApp } from './create-http-app';
import { waitForDependencies } from './wait-for-dependencies';
import { startWorkerHealthServer } from './worker-health-server';

export interface RunningService {
  role: AppConfig['role'];
  url: string;
  /** Stops accepting work, finishes what is in flight, closes the pools. */
  stop(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 25_000;

/**
 * Starts one process in its APP_ROLE: waits for MySQL and Redis, migrates, then serves and/or works. A problem
 * raised while starting (e.g. a setting refused by a policy) fails with its field messages, not just its title.
 */
export async function startService(
  config: AppConfig,
  log: (message: string) => void,
): Promise<RunningService> {
  try {
    return await start(config, log);
  } catch (error) {
    throw error instanceof ProblemException ? new Error(describeProblem(error)) : error;
  }
}

async function start(config: AppConfig, log: (message: string) => void): Promise<RunningService> {
  await waitForDependencies(config, log);
  const applied = await migrateDatabase(config.db);
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);

  let app: INestApplicationContext;
  let server: Server;
  if (config.servesHttpApi) {
    const httpApp = await createHttpApp(config);
    await httpApp.listen(config.port);
    server = httpApp.getHttpServer();
    app = httpApp;
  } else {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
    server = await startWorkerHealthServer(app, config.port);
  }
  new NestLogger('Bootstrap').log(`${config.role} process listening on port ${config.port}`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, delay(SHUTDOWN_GRACE_MS)]);
      server.closeAllConnections();
      await app.get(QueueRegistry).closeAll();
      await app.close();
    })());
  return { role: config.role, url: `http://127.0.0.1:${config.port}`, stop };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** `title: field: message; field: message` (or the detail when the problem names no field). */
function describeProblem(error: ProblemException): string {
  const fields = error.problem.errors?.map((field) => `${field.field}: ${field.message}`) ?? [];
  return `${error.problem.title}: ${fields.length > 0 ? fields.join('; ') : error.problem.detail}`;
}
