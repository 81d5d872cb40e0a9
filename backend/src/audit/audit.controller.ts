import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { AuditService } from './audit.service';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@RequireRole('admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log of your workspace, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  async search(
    @Query() query: AuditQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditPageDto> {
    const page = await this.audit.search(principal.workspaceId, query, query);
    return { ...page, items: page.items.map((entry) => AuditEntryDto.from(entry)) };
  }
}
