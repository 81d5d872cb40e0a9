import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IdPipe } from '../http/id.pipe';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from './current-principal.decorator';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import type { Principal } from './principal';
import { RequireRole } from './roles.decorator';

@ApiTags('api-keys')
@RequireRole('admin')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Active API keys of your workspace (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list(principal)).map((key) => ApiKeyDto.from(key));
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer holds the key, shown this once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @Body() body: CreateApiKeyDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.apiKeys.create(actor, body);
    return { apiKey: ApiKeyDto.from(apiKey), key };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once' })
  @ApiNoContentResponse()
  async revoke(@Param('id', IdPipe) id: string, @RequestActor() actor: AuthenticatedActor): Promise<void> {
    await this.apiKeys.revoke(actor, id);
  }
}
