import 'reflect-metadata';
import { ConfigError } from './config/load-config';
import { loadConfigFromProcess } from './config/process-env';
import { generateMigration } from './database/generate-migration';
import { migrateDatabase } from './database/migrate';

const USAGE = `Usage: npm run cli -- <command>
  migrate                                  apply pending database migrations
  generate-migration <Name>                write a migration for entity changes (run against a scratch DB_NAME)`;

async function run(args: string[]): Promise<number> {
  const config = loadConfigFromProcess();
  switch (args[0]) {
    case 'migrate': {
      const applied = await migrateDatabase(config.db);
      process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      return 0;
    }
    case 'generate-migration': {
      const file = await generateMigration(config.db, args[1] ?? '');
      process.stdout.write(file ? `Written: ${file}\n` : 'The entities match the migrations: nothing to write.\n');
      return 0;
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      return args[0] ? 2 : 0;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
