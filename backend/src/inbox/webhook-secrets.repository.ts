import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { WebhookSecretEntity } from './webhook-secret.entity';

@Injectable()
export class WebhookSecretsRepository {
  constructor(
    @InjectRepository(WebhookSecretEntity) private readonly repo: Repository<WebhookSecretEntity>,
  ) {}

  findByHash(secretHash: string): Promise<WebhookSecretEntity | null> {
    return this.repo.findOneBy({ secretHash });
  }

  findForSource(workspaceId: string, source: string): Promise<WebhookSecretEntity | null> {
    return this.repo.findOneBy({ workspaceId, source });
  }

  /** Inserts unless the workspace already has a secret for the source (then the existing row wins). */
  async insertIfAbsent(secret: WebhookSecretEntity): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(WebhookSecretEntity)
      .values(secret)
      .orIgnore()
      .execute();
  }

  async replaceSecret(
    workspaceId: string,
    source: string,
    secretHash: string,
    secretSealed: string,
  ): Promise<void> {
    await this.repo.update({ workspaceId, source }, { secretHash, secretSealed });
  }

  async setEvents(workspaceId: string, source: string, events: string[] | null): Promise<void> {
    await this.repo.update({ workspaceId, source }, { events });
  }
}
