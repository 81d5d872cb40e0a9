import { Injectable } from '@nestjs/common';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import { ValidationProblem, type FieldError } from '../../http/problem';
import { LptrackerMetadataService } from '../../lptracker/metadata/lptracker-metadata.service';
import { SyncMetadataService } from '../sync-metadata.service';
import { checkRuleAgainstMetadata, ruleNeedsAmocrm } from './rule-check';
import { resolveField, type RuleMetadata } from './rule-fields';
import { RuleInput } from './rule-input';
import { parseRuleDocument, type ParsedRule } from './rule-parse';
import type { RuleFieldType } from './rule.types';

export type ValidRule = NonNullable<ParsedRule['document']>;

/**
 * Rule bodies checked as a whole against the metadata caches: the shape first (no I/O), then the amoCRM metadata
 * (loaded, and reloaded at most once a minute, only when a rule names something of amoCRM) and the LPTracker
 * metadata of the enabled projects. Any error answers 400 naming every path.
 */
@Injectable()
export class RuleValidationService {
  constructor(
    private readonly amocrm: SyncMetadataService,
    private readonly lptracker: LptrackerMetadataService,
  ) {}

  /** One rule body (`prefix` for paths), or 400. */
  async validate(workspaceId: string, body: unknown, prefix = ''): Promise<ValidRule> {
    const [rule] = await this.validateMany(workspaceId, [{ body, prefix }]);
    return rule;
  }

  /** Several rule bodies, all or nothing: 400 with the errors of every one. */
  async validateMany(workspaceId: string, bodies: { body: unknown; prefix: string }[]): Promise<ValidRule[]> {
    const input = new RuleInput();
    const parsed = bodies.map(({ body, prefix }) => ({
      prefix,
      document: parseRuleDocument(body, prefix, input).document,
    }));
    if (input.errors.length > 0) throw new ValidationProblem(input.errors);
    const rules = parsed as { prefix: string; document: ValidRule }[];
    const lptracker = await this.lptracker.getMetadata(workspaceId);
    const check = (amocrm: AmocrmMetadata | null): FieldError[] =>
      rules.flatMap(({ prefix, document }) =>
        checkRuleAgainstMetadata(document, { amocrm, lptracker }, prefix),
      );
    const errors = rules.some(({ document }) => ruleNeedsAmocrm(document))
      ? (await this.amocrm.validated(workspaceId, check)).problems
      : check(await this.amocrm.cached(workspaceId));
    if (errors.length > 0) throw new ValidationProblem(errors.slice(0, 100));
    return rules.map(({ document }) => document);
  }

  /** The metadata as the evaluator reads field types (cached only; never calls a CRM). */
  async metadata(workspaceId: string): Promise<RuleMetadata> {
    return {
      amocrm: await this.amocrm.cached(workspaceId),
      lptracker: await this.lptracker.getMetadata(workspaceId),
    };
  }

  /** A field-type lookup for the evaluator over cached metadata (each field resolved once per lookup object). */
  static typeOf(meta: RuleMetadata): (ref: string) => RuleFieldType | null {
    const known = new Map<string, RuleFieldType | null>();
    return (ref) => {
      let type = known.get(ref);
      if (type === undefined) {
        const resolved = resolveField(ref, meta);
        type = resolved.ok ? resolved.type : null;
        known.set(ref, type);
      }
      return type;
    };
  }
}
