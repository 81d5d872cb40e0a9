import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequestActor, type AuthenticatedActor } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { IdPipe } from '../http/id.pipe';
import { RefusePrototypeKeys } from '../http/refuse-prototype-keys.interceptor';
import { PageQueryDto } from '../http/pagination';
import { AlertSettingsService } from './alert-settings.service';
import { AlertsService } from './alerts.service';
import {
  AlertCheckResultDto,
  AlertDto,
  AlertPageDto,
  AlertSettingsDto,
  UpdateAlertSettingsDto,
} from './dto/alerts.dto';

@ApiTags('alerts')
@RequireRole('viewer')
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly alertSettings: AlertSettingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Alerts of your workspace, newest first, with your read marks and unread count',
    description: 'Read marks are per person; for an API key (no bell) every alert counts as unread.',
  })
  @ApiOkResponse({ type: AlertPageDto })
  async list(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal): Promise<AlertPageDto> {
    const page = await this.alerts.list(principal, query);
    return { ...page, items: page.items.map((alert) => AlertDto.from(alert)) };
  }

  @Get('settings')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Which conditions raise alerts, their thresholds, and the Telegram chat' })
  @ApiOkResponse({ type: AlertSettingsDto })
  async settings(@CurrentPrincipal() principal: Principal): Promise<AlertSettingsDto> {
    return AlertSettingsDto.from(await this.alertSettings.settings(principal.workspaceId));
  }

  @Put('settings')
  @RequireRole('admin')
  @UseInterceptors(RefusePrototypeKeys)
  @ApiOperation({ summary: 'Change the alert settings (only the fields given)' })
  @ApiOkResponse({ type: AlertSettingsDto })
  async save(
    @Body() body: UpdateAlertSettingsDto,
    @RequestActor() actor: AuthenticatedActor,
  ): Promise<AlertSettingsDto> {
    return AlertSettingsDto.from(await this.alertSettings.saveSettings(actor, body));
  }

  @Post('telegram/test')
  @RequireRole('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Send a test message to the Telegram chat with the stored bot' })
  @ApiNoContentResponse()
  async test(@RequestActor() actor: AuthenticatedActor): Promise<void> {
    await this.alertSettings.sendTest(actor);
  }

  @Post('check')
  @RequireRole('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Check every condition now (the worker also does it every minute)' })
  @ApiOkResponse({ type: AlertCheckResultDto })
  check(@CurrentPrincipal() principal: Principal): Promise<AlertCheckResultDto> {
    return this.alerts.evaluate(principal.workspaceId);
  }

  @Post(':id/read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Mark an alert read for you (each person has a bell of their own)',
    description: 'An API key has no bell: 403.',
  })
  @ApiOkResponse({ type: AlertDto })
  async read(@Param('id', IdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<AlertDto> {
    return AlertDto.from(await this.alerts.markRead(principal, id));
  }
}
