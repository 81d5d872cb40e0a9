import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { ContactsService } from '../../contacts/contacts.service';
import {
  ContactDto,
  ContactPageDto,
  ContactQueryDto,
  CreateContactDto,
  FoundOrCreatedContactDto,
  UpdateContactDto,
} from '../../contacts/dto/contact.dto';
import { IdPipe } from '../../http/id.pipe';
import { AMOCRM_REFUSED_RESPONSE, AMOCRM_UNAVAILABLE_RESPONSE } from '../openapi-responses';
import { ContactSyncService } from './contact-sync.service';
import { ContactUpdateService } from './contact-update.service';
import { CLIENT_API } from '../engine-writes';

/** The client API of contacts: reads from the mirror (src/contacts), writes through the engine. */
@ApiTags('contacts')
@Controller('api/v1/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly engine: ContactSyncService,
    private readonly updates: ContactUpdateService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Contacts of your workspace from the local mirror (works while amoCRM is unreachable)',
  })
  @ApiOkResponse({ type: ContactPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ContactQueryDto,
  ): Promise<ContactPageDto> {
    const page = await this.contacts.list(principal.workspaceId, query);
    return { ...page, items: page.items.map((contact) => ContactDto.from(contact)) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contact from the local mirror' })
  @ApiOkResponse({ type: ContactDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.get(principal.workspaceId, id));
  }

  @Post()
  @RequireRole('manager')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Find or create a contact by phone (any format) or e-mail, never making a duplicate',
    description:
      'Looks the contact up in the mirror and in amoCRM (exact compare of normalised phones, then e-mails) and ' +
      'creates it in amoCRM only when absent. Concurrent calls for the same phone or e-mail are serialised ' +
      'across all processes. Answers **201** with `created: true` when it was created, **200** with the same ' +
      'body and `created: false` when it existed (an existing contact is not changed).',
  })
  @ApiCreatedResponse({
    type: FoundOrCreatedContactDto,
    description:
      'Created (201, `created: true`); an existing contact is answered with 200 and `created: false`',
  })
  @ApiResponse(AMOCRM_REFUSED_RESPONSE)
  @ApiResponse(AMOCRM_UNAVAILABLE_RESPONSE)
  async findOrCreate(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateContactDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FoundOrCreatedContactDto> {
    const { contact, created } = await this.engine.findOrCreate(principal.workspaceId, body, CLIENT_API);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return FoundOrCreatedContactDto.of(contact, created);
  }

  @Patch(':id')
  @RequireRole('manager')
  @ApiOperation({
    summary:
      'Update a contact in amoCRM, then the mirror (a phone or e-mail is added, keeping the ones it has)',
  })
  @ApiOkResponse({ type: ContactDto })
  @ApiResponse(AMOCRM_REFUSED_RESPONSE)
  @ApiResponse(AMOCRM_UNAVAILABLE_RESPONSE)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactDto> {
    return ContactDto.from(await this.updates.update(principal.workspaceId, id, body, CLIENT_API));
  }
}
