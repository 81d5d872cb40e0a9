import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Observable } from 'rxjs';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { IdPipe } from '../../http/id.pipe';
import { ImportProgressDto } from './import-progress.dto';
import { ImportRunsService } from './import-runs.service';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** How often the live stream reads the progress. */
const STREAM_EVERY_MS = 1000;
/** The stream ends with the first event in any other status (not started, done, failed, cancelled). */
const LIVE = new Set(['parsing', 'processing', 'paused']);

/** The background run of an import (issue #14 §2): start, pause, resume, cancel, live progress, report. */
@ApiTags('imports')
@Controller('api/v1/imports')
export class ImportRunsController {
  constructor(private readonly runs: ImportRunsService) {}

  @Post(':id/start')
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start importing the rows in the background (needs a saved mapping)',
    description:
      '409 when there is no mapping or the import was started already; 400 for what cannot be imported yet ' +
      '(lead.responsible), 409 import-target-not-connected for amoCRM custom fields while amoCRM is not ' +
      'connected. Target lptracker (leads only): each row is found or created in the one enabled ' +
      'LPTracker project (its contact by phone/e-mail, a same-named lead reused, callback: false), the lead id ' +
      'in the row message. With dryRun the rows are checked and nothing is written. Call ' +
      'results (kind call_results) are recorded as POST /api/v1/call-results records them (source import): a ' +
      'time without a zone, and a date cell of a workbook, is Moscow time; a duration is seconds or m:ss / ' +
      'h:mm:ss; direction and result are read from Russian or English words (no direction: outgoing; no result: ' +
      'answered when the call lasted, else missed).',
  })
  @ApiOkResponse({ type: ImportProgressDto })
  async start(@CurrentPrincipal() p: Principal, @Param('id', IdPipe) id: string): Promise<ImportProgressDto> {
    return ImportProgressDto.from(await this.runs.start(p.workspaceId, id));
  }

  @Post(':id/pause')
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Pause a running import after its current batch (409 when it is not running)' })
  @ApiOkResponse({ type: ImportProgressDto })
  async pause(@CurrentPrincipal() p: Principal, @Param('id', IdPipe) id: string): Promise<ImportProgressDto> {
    return ImportProgressDto.from(await this.runs.pause(p.workspaceId, id));
  }

  @Post(':id/resume')
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resume a paused import from its first row not yet done (409 when not paused)' })
  @ApiOkResponse({ type: ImportProgressDto })
  async resume(
    @CurrentPrincipal() p: Principal,
    @Param('id', IdPipe) id: string,
  ): Promise<ImportProgressDto> {
    return ImportProgressDto.from(await this.runs.resume(p.workspaceId, id));
  }

  @Post(':id/cancel')
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a running or paused import (rows written stay; 409 otherwise)' })
  @ApiOkResponse({ type: ImportProgressDto })
  async cancel(
    @CurrentPrincipal() p: Principal,
    @Param('id', IdPipe) id: string,
  ): Promise<ImportProgressDto> {
    return ImportProgressDto.from(await this.runs.cancel(p.workspaceId, id));
  }

  @Get(':id/progress')
  @ApiOperation({ summary: 'The progress of the import (also in GET /imports/{id} as `progress`)' })
  @ApiOkResponse({ type: ImportProgressDto })
  async progress(
    @CurrentPrincipal() p: Principal,
    @Param('id', IdPipe) id: string,
  ): Promise<ImportProgressDto> {
    return ImportProgressDto.from(await this.runs.progress(p.workspaceId, id));
  }

  @Sse(':id/stream')
  @ApiOperation({
    summary:
      'Live progress (text/event-stream): an event with the progress each second, until the import ends',
  })
  async stream(
    @CurrentPrincipal() p: Principal,
    @Param('id', IdPipe) id: string,
  ): Promise<Observable<MessageEvent>> {
    await this.runs.progress(p.workspaceId, id); // 404 before the stream opens
    return new Observable<MessageEvent>((subscriber) => {
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const tick = async () => {
        try {
          const progress = await this.runs.progress(p.workspaceId, id);
          if (closed) return;
          subscriber.next({ type: 'progress', data: ImportProgressDto.from(progress) });
          if (!LIVE.has(progress.status)) return subscriber.complete();
          timer = setTimeout(() => void tick(), STREAM_EVERY_MS);
        } catch (error) {
          subscriber.error(error);
        }
      };
      void tick();
      return () => {
        closed = true;
        clearTimeout(timer);
      };
    });
  }

  @Get(':id/report.xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({
    summary:
      'The per-row report: original cells, outcome, amoCRM contact and lead ids, the reason in Russian',
  })
  @ApiOkResponse({ description: 'The .xlsx file' })
  async report(
    @CurrentPrincipal() p: Principal,
    @Param('id', IdPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { name, chunks } = await this.runs.report(p.workspaceId, id);
    res.status(200);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(Readable.from(chunks), res);
    } catch {
      res.destroy();
    }
  }
}
