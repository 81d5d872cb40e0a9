import 'reflect-metadata';
import { getPriority, setPriority } from 'node:os';
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
  if (config.role === 'worker') lowerPriority(config.workerNice);
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

/** A worker process yields the CPU to the api on a shared machine (WORKER_NICE); never fatal. */
function lowerPriority(nice: number): void {
  if (nice === 0 || getPriority() >= nice) return;
  try {
    setPriority(nice);
    line(`worker runs at scheduling priority nice ${nice} (WORKER_NICE): webhook answers come first`);
  } catch (error) {
    line(
      `could not lower the worker's priority to nice ${nice}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
