import { Controller, Get, Header, HttpStatus, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';
import { LivenessDto, ReadinessDto } from './health.dto';
import { metricsRefusal } from './metrics-access';
import { readinessBody } from './readiness-body';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process is running' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: MySQL and Redis answer; 503 names the failing part' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (problem+json with `checks`)' })
  async ready(@Res() res: Response): Promise<void> {
    const { status, contentType, body } = readinessBody(await this.health.readiness());
    res.status(status).type(contentType).send(JSON.stringify(body));
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics: Authorization: Bearer METRICS_TOKEN, or without it only from this machine',
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  @ApiForbiddenResponse({ description: 'METRICS_TOKEN is not set and the caller is not on this machine' })
  async metricsText(@Req() req: Request, @Res() res: Response): Promise<void> {
    const refusal = metricsRefusal(req, this.config.metricsToken);
    if (refusal) throw new ProblemException(refusal.status, refusal);
    const { contentType, body } = await this.metrics.render();
    res.status(HttpStatus.OK).type(contentType).send(body);
  }
}
