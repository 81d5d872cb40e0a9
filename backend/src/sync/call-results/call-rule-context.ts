import type { RuleEventContext } from '../rules/rule-evaluate';
import type { RuleSource } from '../rules/rule.types';
import type { CallResultEntity } from './call-result.entity';

/**
 * The values of a finished call as rules read them (pure), for the trigger event `call.finished`: how it ended
 * (`call.result`), its length in seconds, direction and operator, how many unanswered calls the contact has had in a
 * row up to this one (`call.missedCount`), and the phone as `contact.phone`.
 */
export function callRuleContext(
  call: Pick<CallResultEntity, 'result' | 'durationSeconds' | 'direction' | 'operator' | 'phone' | 'source'>,
  missedCount: number,
): RuleEventContext {
  const source: RuleSource = call.source;
  return {
    source,
    event: 'call.finished',
    values: {
      'event.source': source,
      'event.type': 'call.finished',
      'call.result': call.result,
      'call.duration': call.durationSeconds,
      'call.direction': call.direction,
      'call.operator': call.operator,
      'call.missedCount': missedCount,
      'contact.phone': call.phone === null ? [] : [call.phone],
    },
    old: null,
    changedFields: null,
  };
}
