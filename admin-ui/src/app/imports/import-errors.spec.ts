import { HttpErrorResponse } from '@angular/common/http';

import type { TranslationKey, TranslationParams } from '../core/i18n/i18n.types';
import { reasonOf } from './import-errors';

/** The key and its column, so the test sees which words were chosen. */
const t = (key: TranslationKey, params?: TranslationParams) =>
  `${key} ${String(params?.['column'] ?? '')}`.trim();

describe('reasonOf: a refused column mapping in words', () => {
  it('says to connect amoCRM first when a column names its field while amoCRM is not connected (409)', () => {
    const error = new HttpErrorResponse({
      status: 409,
      error: {
        type: 'urn:problem-type:import-target-not-connected',
        status: 409,
        detail: 'Connect amoCRM first (Connections), then map the columns to its fields: «Возраст».',
        errors: [
          {
            field: 'columns.Возраст',
            code: 'amocrmNotConnected',
            message:
              'columns.Возраст: amoCRM is not connected, so its fields cannot be checked: connect amoCRM first',
          },
        ],
      },
    });
    expect(reasonOf(error, t)).toBe('imports.mapping.amocrmNotConnected Возраст');
  });
});
