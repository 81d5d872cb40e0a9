import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { ContactDto } from '../../contacts/dto/contact.dto';
import { IdPipe } from '../../http/id.pipe';
import {
  CreateLeadDto,
  FoundOrCreatedLeadDto,
  LeadDto,
  LeadPageDto,
  LeadQueryDto,
  UpdateLeadDto,
} from '../../leads/dto/lead.dto';
import { LeadsService } from '../../leads/leads.service';
import { AMOCRM_REFUSED_RESPONSE, AMOCRM_UNAVAILABLE_RESPONSE } from '../openapi-responses';
import { LeadSyncService } from './lead-sync.service';
import { LeadUpdateService } from './lead-update.service';
import { CLIENT_API } from '../engine-writes';

/**
 * The client API of leads: reads from the mirror (src/leads) with pipeline and status names from the cached
 * metadata, writes through the engine.
 */
@ApiTags('leads')
@Controller('api/v1/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly engine: LeadSyncService,
    private readonly updates: LeadUpdateService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Leads of your workspace from the local mirror (works while amoCRM is unreachable)',
  })
  @ApiOkResponse({ type: LeadPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: LeadQueryDto): Promise<LeadPageDto> {
    const page = await this.leads.list(principal.workspaceId, query);
    const names = await this.engine.namer(principal.workspaceId);
    return { ...page, items: page.items.map((lead) => LeadDto.from(lead, names(lead))) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One lead from the local mirror' })
  @ApiOkResponse({ type: LeadDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<LeadDto> {
    const lead = await this.leads.get(principal.workspaceId, id);
    return LeadDto.from(lead, (await this.engine.namer(principal.workspaceId))(lead));
  }

  @Post()
  @RequireRole('manager')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Find or create a lead for a contact (by contactId, or a contact found or created by phone or e-mail)',
    description:
      'Reuses an open lead (not won 142 / lost 143) of the contact with the same name, else creates one in ' +
      'amoCRM linked to the contact (a new contact and its lead in one leads/complex call). Serialised per ' +
      'contact and lead name across all processes. Answers **201** with `created: true` when the lead was ' +
      'created, **200** with the same body and `created: false` when an open lead was reused. When the contact ' +
      'was found in amoCRM and saved but the lead failed, the error says so and carries `contact`.',
  })
  @ApiCreatedResponse({
    type: FoundOrCreatedLeadDto,
    description:
      'Created (201, `created: true`); a reused open lead is answered with 200 and `created: false`',
  })
  @ApiResponse({
    status: 404,
    description: 'contactId is not a contact of your workspace (or it was deleted in amoCRM)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  @ApiResponse(AMOCRM_REFUSED_RESPONSE)
  @ApiResponse(AMOCRM_UNAVAILABLE_RESPONSE)
  async findOrCreate(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateLeadDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FoundOrCreatedLeadDto> {
    const result = await this.engine.findOrCreate(principal.workspaceId, body, CLIENT_API);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return {
      ...LeadDto.from(result.lead, result.names),
      created: result.created,
      contact: { ...ContactDto.from(result.contact), created: result.contactCreated },
    };
  }

  @Patch(':id')
  @RequireRole('manager')
  @ApiOperation({
    summary: 'Update a lead in amoCRM, then the mirror (name, stage, price, custom fields, tags)',
  })
  @ApiOkResponse({ type: LeadDto })
  @ApiResponse(AMOCRM_REFUSED_RESPONSE)
  @ApiResponse(AMOCRM_UNAVAILABLE_RESPONSE)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: UpdateLeadDto,
  ): Promise<LeadDto> {
    const { lead, names } = await this.updates.update(principal.workspaceId, id, body, CLIENT_API);
    return LeadDto.from(lead, names);
  }
}
