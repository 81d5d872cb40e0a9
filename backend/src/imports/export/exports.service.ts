import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { AuditService } from '../../audit/audit.service';
import type { AuthenticatedActor } from '../../auth/current-principal.decorator';
import type { ContactEntity } from '../../contacts/contact.entity';
import { ContactsService } from '../../contacts/contacts.service';
import { InboxEventsService } from '../../inbox/inbox-events.service';
import type { LeadEntity } from '../../leads/lead.entity';
import { LeadsService } from '../../leads/leads.service';
import type { CellValue } from './cell-safety';
import { csvChunks } from './csv-writer';
import {
  chooseColumns,
  CONTACT_EXPORT_COLUMNS,
  EVENT_EXPORT_COLUMNS,
  type EventListRow,
  LEAD_EXPORT_COLUMNS,
  type ExportColumn,
} from './export-columns';
import type { ContactExportQueryDto, EventExportQueryDto, LeadExportQueryDto } from './export-query.dto';
import { xlsxChunks } from './xlsx-writer';

export type ExportFormat = 'csv' | 'xlsx';

/** Rows read from the database at a time (keyset pages: memory holds one page, whatever the total). */
export const EXPORT_PAGE_ROWS = 1_000;

type PageReader<T> = (after: T | null) => Promise<T[]>;

/** Builds the export files of the lists, page by page from the database into the response. */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  constructor(
    private readonly contactsService: ContactsService,
    private readonly leadsService: LeadsService,
    private readonly eventsService: InboxEventsService,
    private readonly audit: AuditService,
  ) {}

  async contacts(
    actor: AuthenticatedActor,
    query: ContactExportQueryDto,
    format: ExportFormat,
  ): Promise<AsyncIterable<string | Buffer>> {
    const workspaceId = actor.principal.workspaceId;
    const columns = chooseColumns(CONTACT_EXPORT_COLUMNS, query.columns);
    const read: PageReader<ContactEntity> = (after) =>
      this.contactsService.exportPage(workspaceId, query, after, EXPORT_PAGE_ROWS);
    const file = await fileOf('Контакты', columns, read, format);
    await this.recordExport(actor, 'contacts', format, columns, query);
    return file;
  }

  async leads(
    actor: AuthenticatedActor,
    query: LeadExportQueryDto,
    format: ExportFormat,
  ): Promise<AsyncIterable<string | Buffer>> {
    const workspaceId = actor.principal.workspaceId;
    const columns = chooseColumns(LEAD_EXPORT_COLUMNS, query.columns);
    const read: PageReader<LeadEntity> = (after) =>
      this.leadsService.exportPage(workspaceId, query, after, EXPORT_PAGE_ROWS);
    const file = await fileOf('Сделки', columns, read, format);
    await this.recordExport(actor, 'leads', format, columns, query);
    return file;
  }

  async events(
    actor: AuthenticatedActor,
    query: EventExportQueryDto,
    format: ExportFormat,
  ): Promise<AsyncIterable<string | Buffer>> {
    const workspaceId = actor.principal.workspaceId;
    const columns = chooseColumns(EVENT_EXPORT_COLUMNS, query.columns);
    const read: PageReader<EventListRow> = (after) =>
      this.eventsService.exportPage(workspaceId, query, after, EXPORT_PAGE_ROWS);
    const file = await fileOf('События', columns, read, format);
    await this.recordExport(actor, 'events', format, columns, query);
    return file;
  }

  /** Who took which data out, with which filters (the audit log; no values of the rows). */
  private recordExport<T>(
    actor: AuthenticatedActor,
    list: string,
    format: ExportFormat,
    columns: readonly ExportColumn<T>[],
    query: object,
  ): Promise<void> {
    const filters = Object.entries(query).filter(
      ([key, value]) => !['page', 'limit', 'columns'].includes(key) && value !== undefined,
    );
    return this.audit.record(actor, {
      action: 'export.downloaded',
      targetType: list,
      details: {
        format,
        columns: columns.map((column) => column.key),
        filters: JSON.stringify(Object.fromEntries(filters)).slice(0, 1000),
      },
    });
  }

  /**
   * Sends the file with backpressure. A failure after the first bytes cannot become a problem answer any more: the
   * response is cut, so the client sees a broken download rather than a file that looks complete.
   */
  async stream(file: AsyncIterable<string | Buffer>, res: Response): Promise<void> {
    try {
      await pipeline(Readable.from(file), res);
    } catch (error) {
      this.logger.warn(`Export stopped: ${(error as Error).message}`);
      res.destroy();
    }
  }
}

/** The file; its first page is read before it is returned, so a bad filter fails before any byte is sent. */
async function fileOf<T>(
  sheet: string,
  columns: readonly ExportColumn<T>[],
  read: PageReader<T>,
  format: ExportFormat,
): Promise<AsyncIterable<string | Buffer>> {
  const headers = columns.map((column) => column.header);
  const pages = rowsOf(columns, read, await read(null));
  return format === 'csv' ? csvChunks(headers, pages) : xlsxChunks(sheet, headers, pages);
}

async function* rowsOf<T>(
  columns: readonly ExportColumn<T>[],
  read: PageReader<T>,
  first: T[],
): AsyncGenerator<CellValue[][]> {
  let page = first;
  for (;;) {
    if (page.length === 0) return;
    yield page.map((row) => columns.map((column) => column.value(row)));
    if (page.length < EXPORT_PAGE_ROWS) return;
    page = await read(page[page.length - 1]);
  }
}
