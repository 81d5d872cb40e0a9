import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestActor, type AuthenticatedActor } from '../../auth/current-principal.decorator';
import { ContactExportQueryDto, EventExportQueryDto, LeadExportQueryDto } from './export-query.dto';
import { ExportsService, type ExportFormat } from './exports.service';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DESCRIPTION =
  'Every row the list shows with the same filters (`page` and `limit` are ignored), streamed as it is read, with ' +
  'Russian headers; `columns=` picks and orders the columns. Text that a spreadsheet would run as a formula ' +
  '(starting with =, +, -, @) is written with a leading apostrophe. CSV: UTF-8 with BOM, `;`-separated.';

/**
 * Exports of the contacts, leads and events lists (issue #14 §3). Here rather than beside the lists: the contacts
 * and leads controllers are the engine's, the events list the inbox's, and this module may read both through their
 * services without either depending on spreadsheets.
 */
@ApiTags('exports')
@Controller('api/v1')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('contacts/export.csv')
  @ApiOperation({ summary: 'Contacts as CSV', description: DESCRIPTION })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file' })
  contactsCsv(
    @RequestActor() a: AuthenticatedActor,
    @Query() q: ContactExportQueryDto,
    @Res() res: Response,
  ) {
    return this.send(res, 'contacts', 'csv', this.exports.contacts(a, q, 'csv'));
  }

  @Get('contacts/export.xlsx')
  @ApiOperation({ summary: 'Contacts as an Excel workbook', description: DESCRIPTION })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'The .xlsx file' })
  contactsXlsx(
    @RequestActor() a: AuthenticatedActor,
    @Query() q: ContactExportQueryDto,
    @Res() res: Response,
  ) {
    return this.send(res, 'contacts', 'xlsx', this.exports.contacts(a, q, 'xlsx'));
  }

  @Get('leads/export.csv')
  @ApiOperation({ summary: 'Leads as CSV', description: DESCRIPTION })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file' })
  leadsCsv(@RequestActor() a: AuthenticatedActor, @Query() q: LeadExportQueryDto, @Res() res: Response) {
    return this.send(res, 'leads', 'csv', this.exports.leads(a, q, 'csv'));
  }

  @Get('leads/export.xlsx')
  @ApiOperation({ summary: 'Leads as an Excel workbook', description: DESCRIPTION })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'The .xlsx file' })
  leadsXlsx(@RequestActor() a: AuthenticatedActor, @Query() q: LeadExportQueryDto, @Res() res: Response) {
    return this.send(res, 'leads', 'xlsx', this.exports.leads(a, q, 'xlsx'));
  }

  @Get('events/export.csv')
  @ApiOperation({ summary: 'Inbound events as CSV', description: DESCRIPTION })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file' })
  eventsCsv(@RequestActor() a: AuthenticatedActor, @Query() q: EventExportQueryDto, @Res() res: Response) {
    return this.send(res, 'events', 'csv', this.exports.events(a, q, 'csv'));
  }

  @Get('events/export.xlsx')
  @ApiOperation({ summary: 'Inbound events as an Excel workbook', description: DESCRIPTION })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'The .xlsx file' })
  eventsXlsx(@RequestActor() a: AuthenticatedActor, @Query() q: EventExportQueryDto, @Res() res: Response) {
    return this.send(res, 'events', 'xlsx', this.exports.events(a, q, 'xlsx'));
  }

  private async send(
    res: Response,
    name: string,
    format: ExportFormat,
    file: Promise<AsyncIterable<string | Buffer>>,
  ): Promise<void> {
    // the first page is read before any header: a bad filter (e.g. an invalid phone) still answers 400
    const started = await file;
    const stamp = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${name}-${stamp}.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    await this.exports.stream(started, res);
  }
}
