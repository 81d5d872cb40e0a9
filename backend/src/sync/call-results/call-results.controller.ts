import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { RequireRole } from '../../auth/roles.decorator';
import { AppConfig } from '../../config/app-config';
import { normalizePhone } from '../../contacts/phone';
import { ValidationProblem } from '../../http/problem';
import { RefusePrototypeKeys } from '../../http/refuse-prototype-keys.interceptor';
import { CallResultsService } from './call-results.service';
import type { CallSearch } from './call-results.repository';
import { MAX_CALLS_PER_REQUEST, RecordCallResultsDto } from './dto/call-result-input.dto';
import {
  CallGroupDto,
  CallRecordResultDto,
  CallResultDto,
  CallResultFilterDto,
  CallResultPageDto,
  CallResultQueryDto,
  CallSummaryDto,
  CallSummaryQueryDto,
  CallTotalsDto,
} from './dto/call-result.dto';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** The client API of call results: a manager or more records batches, every role reads the list and summaries. */
@ApiTags('call-results')
@Controller('api/v1/call-results')
export class CallResultsController {
  constructor(
    private readonly calls: CallResultsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequireRole('manager')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(RefusePrototypeKeys)
  @ApiOperation({
    summary: `Record finished calls (a batch of up to ${MAX_CALLS_PER_REQUEST})`,
    description:
      'Each row is checked first: a bad row refuses the whole batch with 400 naming it (`rows.3.phone`). Calls ' +
      'already stored are skipped as duplicates: by `sourceId` when given, else by phone, start and operator. ' +
      'A call is linked to the mirror contact with that phone and to its newest open lead (or to the amoCRM lead of ' +
      '`lptrackerLeadId`). Each new call runs the rules of source `api` with the event `call.finished`.',
  })
  @ApiOkResponse({ type: CallRecordResultDto })
  @ApiResponse({ status: 400, description: 'A row is invalid (the field is named)', content: PROBLEM })
  async record(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RecordCallResultsDto,
  ): Promise<CallRecordResultDto> {
    const errors = this.calls
      .prepare(body.rows)
      .flatMap((row, index) =>
        row.ok ? [] : [{ field: `rows.${index}.${row.field}`, code: 'invalid', message: row.message }],
      );
    if (errors.length > 0) throw new ValidationProblem(errors.slice(0, 100));
    const summary = await this.calls.record(principal.workspaceId, body.rows, 'api');
    return CallRecordResultDto.from(summary.rows);
  }

  @Get()
  @ApiOperation({
    summary: 'Call results, newest first, with totals over every call the filters keep',
  })
  @ApiOkResponse({ type: CallResultPageDto })
  @ApiResponse({ status: 400, description: 'A filter is invalid', content: PROBLEM })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CallResultQueryDto,
  ): Promise<CallResultPageDto> {
    const { items, totals } = await this.calls.list(principal.workspaceId, this.searchOf(query), {
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return {
      items: items.map((call) => CallResultDto.from(call)),
      total: totals.count,
      page: query.page,
      limit: query.limit,
      totals: CallTotalsDto.from(totals),
    };
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Calls per UTC day or per operator (count, answered, unanswered, total duration) for charts',
  })
  @ApiOkResponse({ type: CallSummaryDto })
  @ApiResponse({ status: 400, description: 'A filter is invalid', content: PROBLEM })
  async summary(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CallSummaryQueryDto,
  ): Promise<CallSummaryDto> {
    const groups = await this.calls.summary(principal.workspaceId, this.searchOf(query), query.groupBy);
    return { groupBy: query.groupBy, groups: groups.map((group) => CallGroupDto.fromGroup(group)) };
  }

  private searchOf(query: CallResultFilterDto): CallSearch {
    let phone: string | undefined;
    if (query.phone !== undefined && query.phone.trim() !== '') {
      const e164 = normalizePhone(query.phone, this.config.defaultPhoneRegion);
      if (e164 === null)
        throw new ValidationProblem([
          { field: 'phone', code: 'invalid', message: 'phone must be a valid phone number' },
        ]);
      phone = e164;
    }
    if (query.from && query.to && query.from > query.to)
      throw new ValidationProblem([{ field: 'to', code: 'invalid', message: 'to must not be before from' }]);
    return {
      from: query.from,
      to: query.to,
      phone,
      result: query.result,
      operator: query.operator?.trim() || undefined,
      direction: query.direction,
      source: query.source,
    };
  }
}
