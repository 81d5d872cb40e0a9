import {
  evaluateConditions,
  triggerMatches,
  type ConditionOutcome,
  type FieldTypeOf,
  type RuleEventContext,
} from './rule-evaluate';
import type { RuleAction, RuleDocument, RuleForRun } from './rule.types';

/**
 * Which rules would act on an event and with which actions (pure: nothing is executed here). Rules run in the
 * order given (by priority); a matching rule's actions run in order up to its `stop`, which also ends the chain.
 * The explanation is what a dry run and an event's trace show.
 */
export interface RuleExplanation {
  ruleId: string | null;
  version: number | null;
  name: string;
  /** `stopped`: an earlier rule's `stop` ended the chain; `trigger`: another source, event, or no watched field changed; `conditions`: they did not hold. */
  outcome: 'matched' | 'trigger' | 'conditions' | 'stopped';
  conditions: ConditionOutcome[];
  /** The actions that would run (through the first `stop`); empty unless matched. */
  actions: RuleAction[];
}

/** One rule on one event (a saved rule, or an unsaved draft with ruleId null). */
export function explainRule(
  rule: Pick<RuleDocument, 'name' | 'trigger' | 'conditions' | 'actions'>,
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
  id: { ruleId: string | null; version: number | null } = { ruleId: null, version: null },
): RuleExplanation {
  const base = { ...id, name: rule.name };
  if (!triggerMatches(rule.trigger, ctx, typeOf))
    return { ...base, outcome: 'trigger', conditions: [], actions: [] };
  const result = evaluateConditions(rule.conditions, ctx, typeOf);
  if (!result.matched) return { ...base, outcome: 'conditions', conditions: result.conditions, actions: [] };
  const stop = rule.actions.findIndex((action) => action.type === 'stop');
  const actions = stop === -1 ? rule.actions : rule.actions.slice(0, stop + 1);
  return { ...base, outcome: 'matched', conditions: result.conditions, actions };
}

/** The whole chain: each rule explained in order; after a matched rule with `stop`, the rest are `stopped`. */
export function explainChain(
  rules: RuleForRun[],
  ctx: RuleEventContext,
  typeOf: FieldTypeOf,
): RuleExplanation[] {
  let stopped = false;
  return rules.map((rule) => {
    const id = { ruleId: rule.ruleId, version: rule.version };
    if (stopped) return { ...id, name: rule.document.name, outcome: 'stopped', conditions: [], actions: [] };
    const explanation = explainRule(rule.document, ctx, typeOf, id);
    stopped = explanation.actions.some((action) => action.type === 'stop');
    return explanation;
  });
}
