import { All, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExcludeEndpoint,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../auth/current-principal.decorator';
import { Public } from '../auth/public.decorator';
import { WebhookAcceptedDto } from './dto/webhook.dto';
import { InboxIntakeService } from './inbox-intake.service';
import { WebhookNotFoundProblem } from './inbox.problems';

@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly intake: InboxIntakeService) {}

  @Post(':source/:secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Receive a webhook (amoCRM, LPTracker…): stored durably, queued, then answered',
    description:
      'The secret is per workspace and source (see the connection pages). 404: unknown address; 400: not a body ' +
      'this source sends; 403: from another account than the connected one (recorded). A repeated delivery is ' +
      'answered 200 and not processed again.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ description: 'The body exactly as the source sends it (at most 1 MB)', required: true })
  @ApiOkResponse({ type: WebhookAcceptedDto })
  @ApiForbiddenResponse({
    description: 'The delivery comes from another account than the workspace is connected to',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body is larger than 1 MB' })
  async receive(
    @Param('source') source: string,
    @Param('secret') secret: string,
    @Req() req: Request,
  ): Promise<WebhookAcceptedDto> {
    return this.intake.receive({
      source,
      secret,
      headers: req.headers,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      remoteIp: clientIp(req),
    });
  }

  /** Any other method or path under /webhooks: the same 404, never echoing the path (it holds a secret). */
  @All(['', '*path'])
  @ApiExcludeEndpoint()
  notFound(): never {
    throw new WebhookNotFoundProblem();
  }
}
