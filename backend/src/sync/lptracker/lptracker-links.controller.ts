import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { ValidationProblem } from '../../http/problem';
import { LinkPageDto, LinkQueryDto } from './dto/link.dto';
import { LptrackerLinksViewService } from './lptracker-links-view.service';
import { PROTOTYPE_KEYS } from '../../http/prototype-keys';

/** Which LPTracker lead is which amoCRM lead (every role reads). */
@ApiTags('links')
@Controller('api/v1/links')
export class LptrackerLinksController {
  constructor(private readonly links: LptrackerLinksViewService) {}

  @Get()
  @ApiOperation({
    summary: 'LPTracker leads linked to amoCRM leads, newest first (filter by either id, project or phone)',
  })
  @ApiOkResponse({ type: LinkPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LinkQueryDto,
    @Req() request: Request,
  ): Promise<LinkPageDto> {
    // refused by name: the whitelist does not see them (every object has them)
    const refused = [...PROTOTYPE_KEYS].filter((key) =>
      Object.prototype.hasOwnProperty.call(request.query, key),
    );
    if (refused.length > 0)
      throw new ValidationProblem(
        refused.map((field) => ({
          field,
          code: 'unknownField',
          message: `${field} is not an accepted field`,
        })),
      );
    return this.links.list(principal.workspaceId, query);
  }
}
