import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireRole } from '../auth/roles.decorator';
import { IdPipe } from '../http/id.pipe';
import { RULE_BODY_SCHEMA } from '../sync/rules/dto/rule.dto';
import { BACKTEST_MAX_LAST } from './rule-dryrun-input';
import { RuleDryRunService, type BacktestResult, type RuleTestResult } from './rule-dryrun.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const EXPLANATION = {
  type: 'object',
  description:
    'RuleExplanation: outcome (matched | trigger | conditions), conditions with actual values, actions',
  additionalProperties: true,
};
const REQUEST = {
  type: 'object',
  properties: {
    system: { type: 'string', enum: ['amocrm', 'lptracker'] },
    method: { type: 'string' },
    path: { type: 'string' },
    body: {},
  },
};
const TEST_BODY = {
  eventId: { type: 'string', format: 'uuid', description: 'A stored LPTracker or amoCRM webhook event' },
  payload: {
    oneOf: [{ type: 'object' }, { type: 'string' }],
    description: "A body as the source's webhook carries it (amoCRM: an object or the form-encoded text)",
  },
  source: {
    type: 'string',
    enum: ['lptracker', 'amocrm'],
    description: "Default: the rule's trigger source",
  },
};
const BACKTEST_BODY = {
  last: { type: 'integer', minimum: 1, maximum: BACKTEST_MAX_LAST, description: 'The newest N events' },
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
};
const TEST_RESULT = {
  schema: {
    type: 'object',
    properties: {
      eventId: { type: 'string', nullable: true },
      explanations: { type: 'array', items: EXPLANATION },
      requests: { type: 'array', items: REQUEST },
      planned: { type: 'array', items: { type: 'object', additionalProperties: true } },
    },
  },
};
const BACKTEST_RESULT = {
  schema: {
    type: 'object',
    properties: {
      scanned: { type: 'integer' },
      matched: { type: 'integer' },
      byOutcome: {
        type: 'object',
        properties: {
          matched: { type: 'integer' },
          trigger: { type: 'integer' },
          conditions: { type: 'integer' },
        },
      },
      samples: {
        type: 'array',
        maxItems: 20,
        items: {
          type: 'object',
          properties: {
            eventId: { type: 'string' },
            receivedAt: { type: 'string', format: 'date-time' },
            source: { type: 'string' },
            eventType: { type: 'string' },
            outcome: { type: 'string', enum: ['matched', 'trigger', 'conditions'] },
            explanation: EXPLANATION,
            requests: { type: 'array', items: REQUEST },
          },
        },
      },
      truncated: { type: 'boolean' },
    },
  },
};

/**
 * Rule dry runs (issue #13 §2): which conditions hold with the actual values, which actions would run and exactly
 * which requests would go to which system. Nothing is sent, nothing is stored. Admins, like every rule change.
 */
@ApiTags('rules')
@Controller('api/v1/rules')
@RequireRole('admin')
export class RuleDryRunController {
  constructor(private readonly dryRuns: RuleDryRunService) {}

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Try an unsaved rule on a stored event or a webhook payload (nothing is sent)' })
  @ApiBody({
    schema: { type: 'object', required: ['rule'], properties: { rule: RULE_BODY_SCHEMA, ...TEST_BODY } },
  })
  @ApiOkResponse(TEST_RESULT)
  @ApiResponse({
    status: 400,
    description: 'Invalid draft (paths like rule.conditions.all[0].value)',
    content: PROBLEM,
  })
  @ApiResponse({ status: 404, description: 'No such event in your workspace', content: PROBLEM })
  testDraft(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<RuleTestResult> {
    return this.dryRuns.test(principal.workspaceId, { draft: true }, body);
  }

  @Post('backtest')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run an unsaved rule over stored past events: counts by outcome and samples' })
  @ApiBody({
    schema: { type: 'object', required: ['rule'], properties: { rule: RULE_BODY_SCHEMA, ...BACKTEST_BODY } },
  })
  @ApiOkResponse(BACKTEST_RESULT)
  @ApiResponse({ status: 400, description: 'Invalid draft or range', content: PROBLEM })
  backtestDraft(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<BacktestResult> {
    return this.dryRuns.backtest(principal.workspaceId, { draft: true }, body);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Try a saved rule on a stored event or a webhook payload (nothing is sent)' })
  @ApiBody({ schema: { type: 'object', properties: TEST_BODY } })
  @ApiOkResponse(TEST_RESULT)
  @ApiResponse({ status: 404, description: 'No such rule or event in your workspace', content: PROBLEM })
  test(
    @Param('id', IdPipe) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RuleTestResult> {
    return this.dryRuns.test(principal.workspaceId, { id }, body);
  }

  @Post(':id/backtest')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run a saved rule over stored past events: counts by outcome and samples' })
  @ApiBody({ schema: { type: 'object', properties: BACKTEST_BODY } })
  @ApiOkResponse(BACKTEST_RESULT)
  @ApiResponse({ status: 404, description: 'No such rule in your workspace', content: PROBLEM })
  backtest(
    @Param('id', IdPipe) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BacktestResult> {
    return this.dryRuns.backtest(principal.workspaceId, { id }, body);
  }
}
