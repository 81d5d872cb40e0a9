/** Errors the sandbox answers with, in amoCRM's problem+json shapes. */

export interface ValidationIssue {
  code: string;
  path: string;
  detail: string;
}

export interface EntityValidationErrors {
  request_id: string;
  errors: ValidationIssue[];
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}

export const OAUTH_PROBLEM_TYPE = 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson';

/** An HTTP answer with a problem+json body; thrown by handlers and services. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : statusTitle(status));
  }
}

export function httpProblem(
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemError {
  return new ProblemError(status, {
    title: statusTitle(status),
    type: `https://httpstatus.es/${status}`,
    status,
    detail,
    ...extra,
  });
}

export function oauthProblem(status: number, detail: string, hint?: string): ProblemError {
  return new ProblemError(status, {
    ...(hint === undefined ? {} : { hint }),
    title: statusTitle(status),
    type: OAUTH_PROBLEM_TYPE,
    status,
    detail,
  });
}

/** 400 with `validation-errors`: one entry per invalid entity, paths pointing into what was sent. */
export class EntityValidationError extends ProblemError {
  constructor(readonly entries: EntityValidationErrors[]) {
    super(400, {
      'validation-errors': entries,
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    });
    this.message = `Request validation failed: ${entries
      .flatMap((entry) => entry.errors.map((error) => `${error.path} ${error.code}`))
      .join(', ')}`;
  }
}

/** Issues found in one entity of a request; `at(prefix)` gives a view for a nested object. */
export class EntityIssues {
  constructor(
    readonly requestId: string,
    readonly errors: ValidationIssue[] = [],
    private readonly prefix = '',
  ) {}

  add(code: string, path: string, detail: string): void {
    const fullPath = this.prefix && path ? `${this.prefix}.${path}` : this.prefix || path;
    this.errors.push({ code, path: fullPath, detail });
  }

  at(prefix: string): EntityIssues {
    return new EntityIssues(this.requestId, this.errors, this.prefix ? `${this.prefix}.${prefix}` : prefix);
  }
}

/** Collects the issues of every entity in a batch; a batch with any issue is rejected whole. */
export class BatchValidation {
  private readonly entities: EntityIssues[] = [];

  entity(requestId: string): EntityIssues {
    const issues = new EntityIssues(requestId);
    this.entities.push(issues);
    return issues;
  }

  throwIfInvalid(): void {
    const invalid = this.entities.filter((entity) => entity.errors.length > 0);
    if (invalid.length > 0) {
      throw new EntityValidationError(
        invalid.map((entity) => ({ request_id: entity.requestId, errors: entity.errors })),
      );
    }
  }
}
