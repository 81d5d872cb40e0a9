import 'reflect-metadata';
import { startService } from './bootstrap/start';
import { ConfigError } from './config/load-config';
import { loadConfigFromProcess } from './config/process-env';

function line(message: string): void {
  process.stdout.write(`${JSON.stringify({ level: 'info', time: Date.now(), msg: message })}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const service = await startService(config, line);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      line(`${signal} received: finishing in-flight requests and jobs`);
      service.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(
            `shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
