import { compileRule, type CompiledRule } from '../sync/rules/rule-compile';
import type { FieldTypeOf } from '../sync/rules/rule-evaluate';
import { explainRule, type RuleExplanation } from '../sync/rules/rule-plan';
import type { RuleDocument } from '../sync/rules/rule.types';
import { eventFor, type DryRunSubject } from './rule-dryrun-subjects';

/**
 * A rule on the subjects of one stored event (pure). An event matches when any of its subjects (leads, changes)
 * does; else its outcome is `conditions` when the trigger fit one of them, else `trigger` (also for an event with
 * nothing a rule reads: a company change, an unreadable body).
 */
export type BacktestOutcome = 'matched' | 'trigger' | 'conditions';

export type RuleUnderTest = Pick<RuleDocument, 'name' | 'trigger' | 'conditions' | 'actions'>;

/** The rule compiled once for a dry run or a backtest (the check live runs use: `rule-compile.ts`). */
export function compiledForTrial(rule: RuleUnderTest): CompiledRule {
  return compileRule(rule);
}

/** The cheap check of a backtest with the compiled rule: no explanation objects. */
export function quickOutcome(
  rule: RuleUnderTest,
  compiled: CompiledRule,
  subjects: readonly DryRunSubject[],
  typeOf: FieldTypeOf,
): BacktestOutcome {
  let outcome: BacktestOutcome = 'trigger';
  for (const subject of subjects) {
    const ctx = subject.context(eventFor(subject, rule.trigger));
    if (!compiled.trigger(ctx, typeOf)) continue;
    if (compiled.matches(ctx, typeOf)) return 'matched';
    outcome = 'conditions';
  }
  return outcome;
}

const RANK: Record<RuleExplanation['outcome'], number> = {
  matched: 0,
  conditions: 1,
  trigger: 2,
  stopped: 3,
};

/**
 * The explanation shown for an event: its first matching subject's, else the one that came closest. As in a live
 * run, the compiled check picks the subject (the first it matches), which alone is explained.
 */
export function explainSubjects(
  rule: RuleUnderTest,
  subjects: readonly DryRunSubject[],
  typeOf: FieldTypeOf,
  id: { ruleId: string | null; version: number | null },
  compiled: CompiledRule = compiledForTrial(rule),
): { explanation: RuleExplanation; subject: DryRunSubject | null } {
  let best: { explanation: RuleExplanation; subject: DryRunSubject | null } = {
    explanation: { ...id, name: rule.name, outcome: 'trigger', conditions: [], actions: [] },
    subject: null,
  };
  const matching = subjects.find((subject) =>
    compiled.matches(subject.context(eventFor(subject, rule.trigger)), typeOf),
  );
  if (matching)
    return {
      explanation: explainRule(rule, matching.context(eventFor(matching, rule.trigger)), typeOf, id),
      subject: matching,
    };
  for (const subject of subjects) {
    const explanation = explainRule(rule, subject.context(eventFor(subject, rule.trigger)), typeOf, id);
    if (best.subject === null || RANK[explanation.outcome] < RANK[best.explanation.outcome])
      best = { explanation, subject };
    if (explanation.outcome === 'matched') break;
  }
  return best;
}
