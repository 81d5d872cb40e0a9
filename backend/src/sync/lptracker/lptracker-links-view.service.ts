import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { normalizePhone } from '../../contacts/phone';
import { sortOf } from '../../http/pagination';
import { ValidationProblem } from '../../http/problem';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { placementNames } from '../leads/lead-rules';
import { SyncMetadataService } from '../sync-metadata.service';
import type { LinkDto, LinkPageDto, LinkQueryDto } from './dto/link.dto';
import { LptrackerLinksService, type LinkFilters } from './lptracker-links.service';

/** `GET /api/v1/links`: links with the names of their stage and status from the cached metadata (no CRM call). */
@Injectable()
export class LptrackerLinksViewService {
  constructor(
    private readonly config: AppConfig,
    private readonly links: LptrackerLinksService,
    private readonly amocrmMetadata: SyncMetadataService,
    private readonly lptrackerMetadata: LptrackerMetadataService,
  ) {}

  async list(workspaceId: string, query: LinkQueryDto): Promise<LinkPageDto> {
    const filters: LinkFilters = {
      lptrackerLeadId: query.lptrackerLeadId,
      amocrmLeadId: query.amocrmLeadId,
      projectId: query.projectId,
    };
    if (query.phone !== undefined && query.phone.trim() !== '') {
      const phone = normalizePhone(query.phone, this.config.defaultPhoneRegion);
      if (!phone)
        throw new ValidationProblem([
          { field: 'phone', code: 'phone', message: 'phone is not a valid phone number' },
        ]);
      filters.phone = phone;
    }
    const [[rows, total], amocrm, projects] = await Promise.all([
      this.links.list(
        workspaceId,
        filters,
        sortOf(query, { field: 'createdAt', order: 'desc' }),
        query.page,
        query.limit,
      ),
      this.amocrmMetadata.cached(workspaceId),
      this.lptrackerMetadata.getMetadata(workspaceId),
    ]);
    const stageName = (projectId: number, stageId: number): string | null =>
      projects
        .find((project) => project.project.id === projectId)
        ?.funnel.find((stage) => stage.id === stageId)?.name ?? null;
    const items = rows.map(({ link, leadName, contactName, phone }): LinkDto => {
      const names = placementNames(amocrm, link.amocrmPipelineId, link.amocrmStatusId);
      return {
        id: link.id,
        projectId: link.projectId,
        lptrackerLeadId: link.lptrackerLeadId,
        amocrmLeadId: link.amocrmLeadId,
        leadId: link.leadId,
        contactId: link.contactId,
        lptrackerStage:
          link.lptrackerStageId === null
            ? null
            : { id: link.lptrackerStageId, name: stageName(link.projectId, link.lptrackerStageId) },
        amocrmStatus:
          link.amocrmStatusId === null
            ? null
            : {
                pipelineId: link.amocrmPipelineId,
                statusId: link.amocrmStatusId,
                pipelineName: names.pipeline,
                statusName: names.status,
              },
        leadName,
        contactName,
        phone,
        createdAs: link.createdAs,
        lastDirection: link.lastDirection,
        lastSyncedAt: link.lastSyncedAt ? link.lastSyncedAt.toISOString() : null,
      };
    });
    return { items, total, page: query.page, limit: query.limit };
  }
}
