import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BootstrapAdminService } from '../../auth/bootstrap-admin.service';
import { AppConfig } from '../../config/app-config';
import { withNamedLock } from '../../database/named-lock';
import { ProblemException } from '../../http/problem';
import { AmocrmCredentialsService } from './amocrm-credentials.service';
import { AmocrmConnectionsService } from './amocrm-connections.service';
import { amocrmBaseUrl, normaliseAmocrmDomain } from './amocrm-domain';

/** The part of the sandbox the demo mode uses (loaded only when the demo starts). */
interface DemoSandbox {
  url: string;
  close(): Promise<void>;
}

/** Work other modules do once the demo account is connected (e.g. subscribing the webhook). */
export type DemoConnectedHook = (workspaceId: string) => Promise<void>;

/**
 * Connections made at start, in the background (the service starts even when amoCRM is unreachable):
 * - AMO_DOMAIN + AMO_ACCESS_TOKEN connect the default workspace with that long-lived token, idempotently and
 *   in one process at a time;
 * - the demo mode starts the amoCRM sandbox inside this process and connects the default workspace to its
 *   seeded `demo` account.
 */
@Injectable()
export class AmocrmStartupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Amocrm');
  private running: Promise<void> | undefined;
  private sandbox: DemoSandbox | undefined;
  private readonly demoHooks: { name: string; run: DemoConnectedHook }[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly bootstrapAdmin: BootstrapAdminService,
    private readonly credentials: AmocrmCredentialsService,
    private readonly connections: AmocrmConnectionsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.servesHttpApi && !this.config.runsWorkers) return; // one-off CLI commands
    if (this.config.amoEnv.domain && this.config.amoEnv.accessToken) {
      this.running = this.connectFromEnvironment(this.config.amoEnv.domain, this.config.amoEnv.accessToken);
    } else if (this.demoEnabled()) {
      this.running = this.startDemo();
    }
    this.running = this.running?.catch((error: unknown) =>
      this.logger.error({ err: error }, 'amoCRM start-up connection failed'),
    );
  }

  /** Registers work to do after the demo connects the default workspace (call it from `onModuleInit`). */
  onDemoConnected(name: string, run: DemoConnectedHook): void {
    this.demoHooks.push({ name, run });
  }

  /** Resolves when the start-up connection (environment or demo) has finished, successfully or not. */
  async settled(): Promise<void> {
    await this.running;
  }

  /** The demo sandbox's address while it runs (null otherwise). */
  get demoSandboxUrl(): string | null {
    return this.sandbox?.url ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
    await this.sandbox?.close();
    this.sandbox = undefined;
  }

  private demoEnabled(): boolean {
    if (!this.config.servesHttpApi) return false;
    if (this.config.demoMode === 'on') return true;
    const env = this.config.amoEnv;
    const anyCredentials = Boolean(env.domain || env.accessToken || env.clientId || env.clientSecret);
    return this.config.demoMode === 'auto' && !this.config.isProduction && !anyCredentials;
  }

  private async connectFromEnvironment(domainInput: string, token: string): Promise<void> {
    const workspace = await this.bootstrapAdmin.defaultWorkspace();
    const domain = normaliseAmocrmDomain(domainInput);
    const baseUrl = amocrmBaseUrl(this.config.amocrmBaseUrlTemplate, domain);
    await withNamedLock(this.dataSource, 'amocrm_environment_connection', 60, async () => {
      const existing = await this.credentials.load(workspace.id);
      if (
        existing &&
        existing.authKind === 'long_lived' &&
        existing.baseUrl === baseUrl &&
        existing.accessToken === token &&
        existing.status !== 'not_connected'
      ) {
        this.logger.log(
          `the default workspace is already connected to amoCRM ${domain.subdomain} (AMO_DOMAIN)`,
        );
        return;
      }
      try {
        await this.connections.connectWithToken(null, {
          workspaceId: workspace.id,
          subdomain: domain.subdomain,
          baseUrl,
          longLivedToken: token,
          clientId: this.config.amoEnv.clientId,
          clientSecret: this.config.amoEnv.clientSecret,
          source: 'env',
        });
        this.logger.log(
          `connected the default workspace to amoCRM ${domain.subdomain} from AMO_DOMAIN and AMO_ACCESS_TOKEN`,
        );
      } catch (error) {
        const detail =
          error instanceof ProblemException
            ? describeProblem(error)
            : error instanceof Error
              ? error.message
              : String(error);
        this.logger.error(
          `AMO_DOMAIN/AMO_ACCESS_TOKEN: could not connect amoCRM ${domain.subdomain}: ${detail}`,
        );
      }
    });
  }

  private async startDemo(): Promise<void> {
    const { startAmoSandbox, DEMO_ACCOUNT } = await import('../../../sandbox/amocrm');
    const port = this.config.amoSandboxPort;
    try {
      this.sandbox = await startAmoSandbox({ port, seedDemo: true });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.logger.warn(
        code === 'EADDRINUSE'
          ? `demo mode: port ${port} (AMO_SANDBOX_PORT) is taken, so the amoCRM sandbox was not started and nothing was connected`
          : `demo mode: the amoCRM sandbox could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const sandboxUrl = this.sandbox.url;
    const workspace = await this.bootstrapAdmin.defaultWorkspace();
    const connected = await withNamedLock(this.dataSource, 'amocrm_demo_connection', 60, async () => {
      const existing = await this.connections.get(workspace.id);
      if (existing && existing.source !== 'demo' && existing.status !== 'not_connected') {
        this.logger.log(
          `demo mode: the default workspace is already connected to amoCRM ${existing.subdomain}; the demo was not connected`,
        );
        return false;
      }
      const connection = await this.connections.connectWithToken(null, {
        workspaceId: workspace.id,
        subdomain: DEMO_ACCOUNT.subdomain,
        baseUrl: `${sandboxUrl}/${DEMO_ACCOUNT.subdomain}`,
        longLivedToken: DEMO_ACCOUNT.longLivedToken,
        clientId: DEMO_ACCOUNT.clientId,
        clientSecret: DEMO_ACCOUNT.clientSecret,
        source: 'demo',
      });
      this.logger.log(
        `demo mode: amoCRM sandbox on ${sandboxUrl}; the default workspace is connected to its demo account "${connection.accountName ?? DEMO_ACCOUNT.name}"`,
      );
      return true;
    });
    if (!connected) return;
    for (const hook of this.demoHooks) {
      try {
        await hook.run(workspace.id);
      } catch (error) {
        this.logger.warn(
          `demo mode: ${hook.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

function describeProblem(error: ProblemException): string {
  const fields = error.problem.errors?.map((field) => `${field.field}: ${field.message}`) ?? [];
  return fields.length > 0 ? fields.join('; ') : error.problem.detail;
}
