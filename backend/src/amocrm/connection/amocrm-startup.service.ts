import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BootstrapAdminService } from '../../auth/bootstrap-admin.service';
import { AppConfig } from '../../config/app-config';
import { withNamedLock } from '../../database/named-lock';
import { ProblemException } from '../../http/problem';
import { AmocrmCredentialsService } from './amocrm-credentials.service';
import { AmocrmConnectionsService } from './amocrm-connections.service';
import { amocrmBaseUrl, normaliseAmocrmDomain } from './amocrm-domain';

/**
 * Connections made at start, in the background (the service starts even when amoCRM is unreachable):
 * AMO_DOMAIN + AMO_ACCESS_TOKEN connect the default workspace with that long-lived token, idempotently and in
 * one process at a time. (The `npm start` demo connects its amoCRM sandbox from the start script, through the
 * REST API, like an admin would: the service never loads its test doubles.)
 */
@Injectable()
export class AmocrmStartupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Amocrm');
  private running: Promise<void> | undefined;

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
    }
    this.running = this.running?.catch((error: unknown) =>
      this.logger.error({ err: error }, 'amoCRM start-up connection failed'),
    );
  }

  /** Resolves when the start-up connection has finished, successfully or not. */
  async settled(): Promise<void> {
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
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
}

function describeProblem(error: ProblemException): string {
  const fields = error.problem.errors?.map((field) => `${field.field}: ${field.message}`) ?? [];
  return fields.length > 0 ? fields.join('; ') : error.problem.detail;
}
