import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { LptrackerLead } from '../../lptracker/lptracker-lead.types';
import { planAmocrmWrite } from '../mappings/mapping-apply';
import { MappingsService } from '../mappings/mappings.service';
import type { RuleMapped } from './rule-find-or-create';

/**
 * The `lptracker_to_amocrm` mapping applied to an event's LPTracker lead, for the rule actions that name a mapping
 * (`find_or_create_lead`, `update_lead` with `useMapping`). A live run takes the version of the event's settings
 * version, as the sync does (`forRun`); a dry run reads the current version and writes nothing (`current`).
 */
@Injectable()
export class RuleMappedService {
  constructor(
    private readonly mappings: MappingsService,
    private readonly config: AppConfig,
  ) {}

  async mapped(
    workspaceId: string,
    lead: LptrackerLead | null,
    projectId: number | null,
    at: { settingsVersion: number } | 'current',
  ): Promise<RuleMapped | null> {
    if (lead === null) return null;
    const project = projectId ?? lead.projectId;
    const found =
      at === 'current'
        ? await this.mappings.current(workspaceId, project, 'lptracker_to_amocrm')
        : await this.mappings.forRun(workspaceId, project, 'lptracker_to_amocrm', at.settingsVersion);
    if (!found) return null;
    const meta = {
      ...(await this.mappings.meta(workspaceId, project)),
      region: this.config.defaultPhoneRegion,
    };
    return {
      projectId: project,
      version: found.version,
      document: found.document,
      plan: planAmocrmWrite(found.document, lead, meta),
    };
  }
}
