import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** One field-level problem, as listed in `errors` of a validation problem. */
export interface FieldError {
  field: string;
  message: string;
  /** A stable code (the validation rule, e.g. `minLength`) so clients can word the message themselves. */
  code?: string;
}

/** RFC 9457 problem details: the body of every error this service answers. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemInit {
  /** A short slug naming the kind of problem, e.g. `validation-error`; becomes `urn:problem-type:<slug>`. */
  type?: string;
  title?: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemType(slug?: string): string {
  return slug ? `urn:problem-type:${slug}` : 'about:blank';
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The answer to a failure of ours (never a client mistake): the details are in the log under the request id. */
export function internalErrorProblem(): ProblemBody {
  return {
    type: problemType('internal-error'),
    title: statusTitle(HttpStatus.INTERNAL_SERVER_ERROR),
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'Something went wrong on our side. Quote the request id when you report it.',
  };
}

/** Base of every typed exception the modules throw; the global filter turns it into problem+json. */
export class ProblemException extends HttpException {
  readonly problem: ProblemBody;
  readonly headers: Record<string, string>;

  constructor(status: HttpStatus | number, init: ProblemInit) {
    const body: ProblemBody = {
      ...init.extensions,
      type: problemType(init.type),
      title: init.title ?? statusTitle(status),
      status,
      detail: init.detail,
      ...(init.errors && init.errors.length > 0 ? { errors: init.errors } : {}),
    };
    super(body, status);
    this.problem = body;
    this.headers = init.headers ?? {};
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail = 'The request has invalid fields: see errors.') {
    super(HttpStatus.BAD_REQUEST, { type: 'validation-error', title: 'Validation failed', detail, errors });
  }
}

export class NotFoundProblem extends ProblemException {
  constructor(what: string) {
    super(HttpStatus.NOT_FOUND, { type: 'not-found', detail: `${what} was not found` });
  }
}

export class ConflictProblem extends ProblemException {
  constructor(detail: string, type = 'conflict') {
    super(HttpStatus.CONFLICT, { type, detail });
  }
}

export class ServiceUnavailableProblem extends ProblemException {
  constructor(detail: string, retryAfterSeconds: number, type = 'service-unavailable') {
    super(HttpStatus.SERVICE_UNAVAILABLE, {
      type,
      detail,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}
