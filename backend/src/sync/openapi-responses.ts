import type { ApiResponseOptions } from '@nestjs/swagger';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** Writes that go to amoCRM: it may be unreachable, paused (402/403) or not connected, or a record busy. */
export const AMOCRM_UNAVAILABLE_RESPONSE: ApiResponseOptions = {
  status: 503,
  description:
    'amoCRM is unreachable, paused (402/403) or not connected, or another request for the same record is still ' +
    'running: nothing was written; Retry-After says when to try again',
  content: PROBLEM,
};

/** amoCRM refused the data (its 400 validation-errors): `errors` names the request's fields. */
export const AMOCRM_REFUSED_RESPONSE: ApiResponseOptions = {
  status: 422,
  description:
    'amoCRM refused the data: `errors` lists each field as you named it, `amocrmErrors` what amoCRM said',
  content: PROBLEM,
};
