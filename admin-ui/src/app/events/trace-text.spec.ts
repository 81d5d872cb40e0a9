import { KNOWN_TRACE_NAMES, KNOWN_TRACE_REASONS } from './trace-text-known';
import { traceReasonText, traceStepText } from './trace-text';

describe('trace text', () => {
  it('has its own Russian words for every step name the backend emits (none falls back to the generic form)', () => {
    const generic = KNOWN_TRACE_NAMES.filter((name) =>
      /шаг обработки$|заметка$/i.test(traceStepText(name, false)),
    );
    expect(generic).toEqual([]);
  });

  it('has its own Russian words for every known reason', () => {
    const generic = KNOWN_TRACE_REASONS.filter(
      (reason) => traceReasonText(reason) === 'подробности есть в данных события',
    );
    expect(generic).toEqual([]);
  });

  it('names what a rule asked amoCRM to do, not the raw request', () => {
    expect(traceStepText('rules: amoCRM POST /api/v4/leads/notes', false)).toBe(
      'Правило: amoCRM — примечание к сделке',
    );
    expect(traceStepText('rules: amoCRM POST /api/v4/tasks', false)).toBe('Правило: amoCRM — задача');
  });
});
