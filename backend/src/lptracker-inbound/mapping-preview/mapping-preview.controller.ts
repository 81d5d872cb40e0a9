import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MappingDocumentDto } from '../../sync/mappings/dto/mapping.dto';
import type { AmocrmWritePlan, LptrackerWritePlan } from '../../sync/mappings/mapping.types';
import { parseMappingDirection, parseMappingProjectId } from '../../sync/mappings/mappings.controller';
import { MappingPreviewService } from './mapping-preview.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

export class MappingPreviewRequestDto {
  @ApiProperty({ type: MappingDocumentDto }) document!: MappingDocumentDto;
  @ApiPropertyOptional({ description: 'An LPTracker event of the project; the newest one when absent' })
  eventId?: string;
}

export class MappingPreviewDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: 'The LPTracker lead of the event the document was applied to' })
  leadId!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'AmocrmWritePlan or LptrackerWritePlan',
  })
  plan!: AmocrmWritePlan | LptrackerWritePlan;
}

@ApiTags('mappings')
@Controller('api/v1/mappings')
export class MappingPreviewController {
  constructor(private readonly previews: MappingPreviewService) {}

  @Post(':projectId/:direction/preview')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Apply an unsaved mapping to a recent real LPTracker event of the project (nothing is written)',
  })
  @ApiBody({ type: MappingPreviewRequestDto })
  @ApiOkResponse({ type: MappingPreviewDto })
  @ApiResponse({ status: 404, description: 'No such project, or no recent event of it', content: PROBLEM })
  async preview(
    @Param('projectId') projectId: string,
    @Param('direction') direction: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MappingPreviewDto> {
    const result = await this.previews.preview(
      principal.workspaceId,
      parseMappingProjectId(projectId),
      parseMappingDirection(direction),
      body,
    );
    return Object.assign(new MappingPreviewDto(), {
      eventId: result.eventId,
      leadId: result.leadId,
      plan: result.plan,
    });
  }
}
