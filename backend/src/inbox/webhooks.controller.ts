import { All, Controller, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
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
import type { Request, Response } from 'express';
import { clientIp } from '../auth/current-principal.decorator';
import { Public } from '../auth/public.decorator';
import { WebhookAcceptedDto } from './dto/webhook-accepted.dto';
import { InboxIntakeService } from './inbox-intake.service';
import { WebhookNotFoundProblem } from './inbox.problems';

/**
 * The documented webhook routes. In the HTTP app, requests under /webhooks are served before Express by the webhook
 * entry (src/bootstrap/webhook-entry.ts: same intake, same answers, without the framework's per-request cost);
 * these handlers answer wherever that entry is not installed.
 */
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
    @Res() res: Response,
  ): Promise<void> {
    const accepted: WebhookAcceptedDto = await this.intake.receive({
      source,
      secret,
      headers: req.headers,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      remoteIp: clientIp(req),
      overHttp: true,
    });
    // written directly: the hot path skips Express's ETag hashing and response helpers (errors still go
    // through the problem+json filter: they are thrown before anything is written)
    res.writeHead(HttpStatus.OK, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(JSON.stringify(accepted));
  }

  /** Any other method or path under /webhooks: the same 404, never echoing the path (it holds a secret). */
  @All(['', '*path'])
  @ApiExcludeEndpoint()
  notFound(): never {
    throw new WebhookNotFoundProblem();
  }
}
