import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { config as loadDotEnv } from 'dotenv';
import type { AppConfig } from './app-config';
import { loadConfig } from './load-config';
import { repoRoot } from './repo-root';

/**
 * The only place that reads `process.env`. A `.env` file in the repository root (written by `npm start`)
 * fills in variables that the real environment does not set.
 */
export function loadConfigFromProcess(): AppConfig {
  const envFile = join(repoRoot(), '.env');
  if (existsSync(envFile)) loadDotEnv({ path: envFile, override: false, quiet: true });
  return loadConfig(process.env);
}
