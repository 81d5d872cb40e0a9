import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { BootstrapAdminService } from './auth/bootstrap-admin.service';
import { ConfigError } from './config/load-config';
import { loadConfigFromProcess } from './config/process-env';
import { generateMigration } from './database/generate-migration';
import { migrateDatabase } from './database/migrate';

const USAGE = `Usage: npm run cli -- <command>
  migrate                                  apply pending database migrations
  generate-migration <Name> [--only t1,t2] write a migration for entity changes (run against a scratch DB_NAME)
  create-admin --email <e> --password <p>  create the platform super-admin (admin of the default workspace)`;

async function run(args: string[]): Promise<number> {
  const config = loadConfigFromProcess();
  switch (args[0]) {
    case 'migrate': {
      const applied = await migrateDatabase(config.db);
      process.stdout.write(
        applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n',
      );
      return 0;
    }
    case 'generate-migration': {
      const only = option(args, '--only')
        ?.split(',')
        .map((table) => table.trim())
        .filter(Boolean);
      const file = await generateMigration(config.db, args[1] ?? '', only);
      process.stdout.write(
        file ? `Written: ${file}\n` : 'The entities match the migrations: nothing to write.\n',
      );
      return 0;
    }
    case 'create-admin': {
      const email = option(args, '--email');
      const password = option(args, '--password');
      if (!email || !password) {
        process.stderr.write('create-admin needs --email and --password\n');
        return 2;
      }
      await migrateDatabase(config.db);
      const app = await NestFactory.createApplicationContext(AppModule.forRoot(config.withRole('cli')), {
        logger: ['error'],
      });
      try {
        const result = await app.get(BootstrapAdminService).ensureSuperAdmin(email, password);
        process.stdout.write(
          result === 'created'
            ? `Created the super-admin ${email}.\n`
            : `A user ${email} already exists: nothing changed.\n`,
        );
        return result === 'created' ? 0 : 1;
      } finally {
        await app.close();
      }
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      return args[0] ? 2 : 0;
  }
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const problem = (error as { problem?: { detail?: string } }).problem;
    process.stderr.write(
      `${problem?.detail ?? (error instanceof ConfigError || error instanceof Error ? error.message : String(error))}\n`,
    );
    process.exit(1);
  },
);
